using System.CommandLine;
using DockScript.Scripting;
using Spectre.Console;

namespace DockScript.Cli;

/// <summary><c>dockscript run FILE.csx [--keep] [--debug] [-- args]</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The .csx script to run." };
        var scriptArgs = new Argument<string[]>("args") { Description = "Arguments for the script (after --), seen as Args.", Arity = ArgumentArity.ZeroOrMore };
        var keep = new Option<bool>("--keep") { Description = "Leave the containers and networks the script created." };
        var debug = new Option<bool>("--debug") { Description = "Show full stack traces." };
        var command = new Command("run", "Run a C# script against the Docker engine, then remove what it created.") { file, scriptArgs, keep, debug };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(scriptArgs) ?? [], parse.GetValue(keep), parse.GetValue(debug), ct));
        return command;
    }

    private static async Task<int> RunAsync(string path, string[] args, bool keep, bool debug, CancellationToken ct)
    {
        var errors = Console.Error;
        // Compile before touching Docker: a typo should not need an engine to be reported.
        IReadOnlyList<string> warnings;
        Microsoft.CodeAnalysis.Scripting.Script<object> script;
        try
        {
            var (compiled, failure, w) = ScriptHost.Compile(path);
            if (failure is ScriptOutcome.CompileFailed compile)
            {
                foreach (var line in compile.Diagnostics)
                {
                    await errors.WriteLineAsync(line).ConfigureAwait(false);
                }
                return ExitCodes.ScriptFailed;
            }
            (script, warnings) = (compiled!, w);
        }
        catch (DockScriptException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        foreach (var warning in warnings)
        {
            await errors.WriteLineAsync(warning).ConfigureAwait(false);
        }

        Lab lab;
        try
        {
            lab = await Lab.StartAsync(ct: ct).ConfigureAwait(false);
        }
        catch (DockScriptException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e is EngineUnavailableException ? ExitCodes.EngineUnavailable : ExitCodes.ScriptFailed;
        }

        await using (lab.ConfigureAwait(false))
        {
            lab.Images.PullDisplay = PullProgress.Show;
            ScriptOutcome outcome;
            try
            {
                outcome = await ScriptHost.RunAsync(path, script, warnings, new ScriptGlobals(lab, args), ct).ConfigureAwait(false);
            }
            finally
            {
                if (!keep)
                {
                    await CleanupAsync(lab, errors).ConfigureAwait(false);
                }
            }
            return await ReportAsync(outcome, debug, errors).ConfigureAwait(false);
        }
    }

    private static async Task CleanupAsync(Lab lab, TextWriter errors)
    {
        try
        {
            // Cleanup must run even after Ctrl+C, so it does not take the cancelled token.
            var report = await lab.CleanupAsync(CancellationToken.None).ConfigureAwait(false);
            if (!report.IsEmpty)
            {
                await errors.WriteLineAsync($"cleanup: {report}").ConfigureAwait(false);
            }
        }
        catch (DockScriptException e)
        {
            await errors.WriteLineAsync($"cleanup failed: {e.Message}").ConfigureAwait(false);
        }
    }

    private static async Task<int> ReportAsync(ScriptOutcome outcome, bool debug, TextWriter errors)
    {
        switch (outcome)
        {
            case ScriptOutcome.Completed { ReturnValue: int code }:
                return code;
            case ScriptOutcome.Completed:
                return Environment.ExitCode;
            case ScriptOutcome.CompileFailed compile:
                foreach (var line in compile.Diagnostics)
                {
                    await errors.WriteLineAsync(line).ConfigureAwait(false);
                }
                return ExitCodes.ScriptFailed;
            case ScriptOutcome.Cancelled:
                await errors.WriteLineAsync("interrupted").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            case ScriptOutcome.Failed failed:
                var where = failed.Location is null ? "" : failed.Location + ": ";
                var what = failed.Exception is DockScriptException ? failed.Exception.Message : $"{failed.Exception.GetType().Name}: {failed.Exception.Message}";
                await errors.WriteLineAsync($"{where}error: {what}").ConfigureAwait(false);
                if (debug)
                {
                    await errors.WriteLineAsync(failed.Exception.ToString()).ConfigureAwait(false);
                }
                else if (failed.Exception is not DockScriptException)
                {
                    await errors.WriteLineAsync("(run with --debug for the full stack trace)").ConfigureAwait(false);
                }
                return failed.Exception is EngineUnavailableException ? ExitCodes.EngineUnavailable : ExitCodes.ScriptFailed;
            default:
                throw new InvalidOperationException($"Unknown outcome {outcome}.");
        }
    }
}
