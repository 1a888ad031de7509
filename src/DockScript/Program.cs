using System.CommandLine;

namespace DockScript.Cli;

/// <summary>The <c>dockscript</c> command line.</summary>
public static class Program
{
    /// <summary>Parses the arguments and runs the chosen command; the only place that decides the exit code.</summary>
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("DockScript: C# scripts and a REPL for Docker network experiments.");
        root.Subcommands.Add(RunCommand.Create());
        var repl = Repl.ReplCommand.Create();
        root.Subcommands.Add(repl);
        var keep = Repl.ReplCommand.KeepOption();
        root.Options.Add(keep);
        root.SetAction((parse, _) => Repl.ReplCommand.RunAsync(parse.GetValue(keep)));
        var parsed = root.Parse(args);
        // After Ctrl+C the run command still removes what the script created: give it time to.
        // The REPL handles Ctrl+C itself (it cancels one submission), so there it must not end the process.
        var interactive = parsed.CommandResult.Command == root || parsed.CommandResult.Command == repl;
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = interactive ? null : TimeSpan.FromSeconds(30) };
        return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
