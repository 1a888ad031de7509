namespace DockScript.Scripting.Repl;

/// <summary>
/// The REPL's session on the engine, opened on first need and again after a failed attempt, so
/// the REPL starts without waiting for Docker and carries on when the engine comes back.
/// </summary>
/// <param name="options">How to open the session.</param>
/// <param name="opened">Called once with each session opened (the REPL sets its displays there).</param>
public sealed class LabConnection(LabOptions options, Action<Lab>? opened = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Lab? lab;

    /// <summary>The session if one is open; null before the first successful connection.</summary>
    public Lab? Current => lab;

    /// <summary>The session, connecting if needed.</summary>
    /// <exception cref="EngineUnavailableException">No engine answers.</exception>
    public async Task<Lab> GetAsync(CancellationToken ct = default)
    {
        if (lab is { } open)
        {
            return open;
        }
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (lab is null)
            {
                var fresh = await Lab.StartAsync(options, ct).ConfigureAwait(false);
                opened?.Invoke(fresh);
                lab = fresh;
            }
            return lab;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The session, connecting if needed; blocks, for the globals of a running submission.</summary>
    /// <exception cref="EngineUnavailableException">No engine answers.</exception>
    public Lab Get() => lab ?? GetAsync(Ambient.Token).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (lab is { } open)
        {
            await open.DisposeAsync().ConfigureAwait(false);
        }
        gate.Dispose();
    }
}
