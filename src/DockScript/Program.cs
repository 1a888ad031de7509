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
        // After Ctrl+C the run command still removes what the script created: give it time to.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
        return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
    }
}
