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

    public static async Task<int> RunAsync(bool keep)
    {
        await using var loop = new ReplLoop(AnsiConsole.Console, keep);
        return await loop.RunAsync().ConfigureAwait(false);
    }
}
