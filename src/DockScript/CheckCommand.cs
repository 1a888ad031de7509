using System.CommandLine;
using DockScript.Scripting;

namespace DockScript.Cli;

/// <summary><c>dockscript check FILE.csx…</c>: compile and analyse without touching Docker.</summary>
internal static class CheckCommand
{
    public static Command Create(Program.Interrupt interrupt)
    {
        var files = new Argument<string[]>("files") { Description = "The .csx scripts to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("check", "Compile and analyse scripts (DS0001…) without touching Docker; print every diagnostic.") { files };
        command.SetAction((parse, _) => Program.Guarded(() => CheckAsync(parse.GetValue(files) ?? [], interrupt.Token)));
        return command;
    }

    private static async Task<int> CheckAsync(string[] paths, CancellationToken ct)
    {
        int errors = 0, warnings = 0;
        foreach (var path in paths)
        {
            ScriptSources sources;
            try
            {
                sources = ScriptSources.Read(path);
            }
            catch (DockScriptException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var (e1, w1) = await ScriptHost.CheckAsync(sources, ct).ConfigureAwait(false);
            // Diagnostics in source order, errors and warnings together, the way a compiler prints them.
            foreach (var line in e1.Concat(w1).OrderBy(Position))
            {
                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            errors += e1.Count;
            warnings += w1.Count;
        }
        await Console.Error.WriteLineAsync($"check: {Count(errors, "error")}, {Count(warnings, "warning")}").ConfigureAwait(false);
        return errors > 0 ? ExitCodes.CompileError : ExitCodes.Success;
    }

    private static (string, int, int) Position(string diagnostic)
    {
        // file:line:col: … — sort by file, then line and column as numbers.
        var parts = diagnostic.Split(':', 4);
        return parts.Length == 4 && int.TryParse(parts[1], out var line) && int.TryParse(parts[2], out var col)
            ? (parts[0], line, col)
            : (diagnostic, 0, 0);
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
