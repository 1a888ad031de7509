using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockScript.Cli;

/// <summary>
/// <c>dockscript explain A B [--port N] [--json]</c>: why container A can or cannot reach B (a
/// name as A resolves it, or an address), layer by layer, for people who do not write C#. Works
/// on any container by name, a compose project's too. Exit 0 reachable, 1 not, 3 no engine, 64 usage.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>Exit code when the target is not reachable.</summary>
    public const int NotReachable = 1;

    public static Command Create(Program.Interrupt interrupt)
    {
        var from = new Argument<string>("from") { Description = "The container the traffic leaves from (name or id)." };
        var to = new Argument<string>("to") { Description = "The target: a name (resolved as FROM resolves it) or an address." };
        var port = new Option<int?>("--port") { Description = "Explain a TCP connection to this port instead of a ping." };
        var json = new Option<bool>("--json") { Description = "Print the explanation as JSON." };
        var command = new Command("explain", "Explain, layer by layer, why one container can or cannot reach another.") { from, to, port, json };
        command.SetAction((parse, _) => Program.Guarded(() =>
            ExplainAsync(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(port), parse.GetValue(json), Console.Out, interrupt.Token)));
        return command;
    }

    internal static async Task<int> ExplainAsync(string from, string to, int? port, bool json, TextWriter output, CancellationToken ct)
    {
        if (port is < 1 or > 65535)
        {
            await Console.Error.WriteLineAsync($"error: --port must be between 1 and 65535, but {port} was given.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (await EngineSession.StartAsync(ct).ConfigureAwait(false) is not { } lab)
        {
            return ExitCodes.EngineUnavailable;
        }
        await using (lab.ConfigureAwait(false))
        {
            if (await lab.Containers.FindAsync(from, ct).ConfigureAwait(false) is not { } source)
            {
                await Console.Error.WriteLineAsync($"error: no container is named '{from}'; give the name or id of a container on this engine (docker ps -a lists them).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            Explanation explanation;
            try
            {
                explanation = await lab.Probes.ExplainAsync(source, to, port, ct).ConfigureAwait(false);
            }
            finally
            {
                // Probe helpers are this session's own; nothing of the user's is touched.
                await lab.CleanupAsync(CancellationToken.None).ConfigureAwait(false);
            }
            await output.WriteLineAsync(json ? ExplanationJson.Write(explanation) : explanation.ToString()).ConfigureAwait(false);
            return explanation.Reachable ? ExitCodes.Success : NotReachable;
        }
    }
}

/// <summary>An <see cref="Explanation"/> as JSON, with System.Text.Json's source generator.</summary>
internal static class ExplanationJson
{
    private static readonly ExplanationJsonContext Context = new(new JsonSerializerOptions(ExplanationJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Write(Explanation explanation) => JsonSerializer.Serialize(explanation, Context.Explanation);
}

/// <summary>The source-generated serializer of an explanation.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Explanation))]
internal sealed partial class ExplanationJsonContext : JsonSerializerContext;
