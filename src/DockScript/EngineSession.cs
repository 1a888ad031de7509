namespace DockScript.Cli;

/// <summary>
/// How a one-shot command (explain, down) opens its session: the engine's warning (a plain-TCP
/// endpoint) and a refusal are each one line on stderr, and a refusal means exit 3.
/// </summary>
internal static class EngineSession
{
    /// <summary>The started session, or null once the reason it could not start has been said.</summary>
    public static async Task<Lab?> StartAsync(CancellationToken ct)
    {
        try
        {
            var lab = await Lab.StartAsync(ct: ct).ConfigureAwait(false);
            if (lab.Engine.Endpoint.Warning is { } warning)
            {
                await Console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
            return lab;
        }
        catch (DockScriptException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
