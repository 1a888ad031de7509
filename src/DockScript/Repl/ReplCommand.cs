using System.CommandLine;
using Spectre.Console;

namespace DockScript.Cli.Repl;

/// <summary><c>dockscript repl [--keep]</c>, also what <c>dockscript</c> alone runs.</summary>
internal static class ReplCommand
{
    public static Option<bool> KeepOption() => new("--keep") { Description = "Leave the containers and networks the session created when the REPL exits." };

    public static Command Create()
    {
        var keep = KeepOption();
        var command = new Command("repl", "Open the interactive C# REPL (the default when no command is given).") { keep };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(keep)));
        return command;
    }

    /// <summary>True for the command lines that open the REPL: none, <c>repl …</c>, <c>--keep</c>.</summary>
    public static bool Handles(string[] args) => args.Length == 0 || args[0] == "repl" || args.All(a => a == "--keep");

    /// <summary>The REPL's own small command line, parsed without the process-wide Ctrl+C handlers.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        // The compiler's references are the first thing a submission needs: open them while the
        // command line is parsed and the terminal set up.
        _ = Task.Run(() => DockScript.Scripting.Repl.ReplReferences.All);
        if (args.Length == 0)
        {
            // Plain `dockscript`, the common case: nothing to parse.
            return await RunAsync(keep: false).ConfigureAwait(false);
        }
        var keep = KeepOption();
        var root = new RootCommand("DockScript: C# scripts and a REPL for Docker network experiments.") { keep, Create() };
        root.SetAction((parse, _) => RunAsync(parse.GetValue(keep)));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Errors[0] is { } error)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message.TrimEnd('.')}; see 'dockscript repl --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(bool keep)
    {
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            // A pipe or a file cannot drive a line editor; say so rather than hang or crash.
            await Console.Error.WriteLineAsync("error: the REPL needs a terminal (stdin and stdout are redirected); run a script with 'dockscript run FILE.csx', or see 'dockscript --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        await using var loop = new ReplLoop(() => AnsiConsole.Console, keep);
        StartupTrace.Mark("loop");
        using var ending = new Program.Ending(loop.ShutdownAsync);
        return await loop.RunAsync().ConfigureAwait(false);
    }
}
