using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using DockScript.Scripting;

namespace DockScript.Cli;

/// <summary><c>dockscript run FILE.csx [--keep] [--debug] [--json PATH] [--no-cache] [-- args]</c>.</summary>
internal static class RunCommand
{
    public static Command Create(Program.Interrupt interrupt)
    {
        var file = new Argument<string>("file") { Description = "The .csx script to run." };
        var scriptArgs = new Argument<string[]>("args") { Description = "Arguments for the script (after --), seen as Args.", Arity = ArgumentArity.ZeroOrMore };
        var keep = new Option<bool>("--keep") { Description = "Leave the containers and networks the script created." };
        var debug = new Option<bool>("--debug") { Description = "Show full stack traces, cache and timing lines." };
        var json = new Option<string?>("--json") { Description = "Write a machine-readable summary to PATH at the end ('-' for stdout).", HelpName = "PATH" };
        var noCache = new Option<bool>("--no-cache") { Description = "Compile the script even if a cached build of it exists." };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report of the run to PATH, however it ends.", HelpName = "PATH" };
        var command = new Command("run", "Run a C# script against the Docker engine, then remove what it created.") { file, scriptArgs, keep, debug, json, noCache, report };
        command.SetAction((parse, _) => Program.Guarded(() => RunAsync(new Request(
            parse.GetValue(file)!, parse.GetValue(scriptArgs) ?? [], parse.GetValue(keep), parse.GetValue(debug), parse.GetValue(json), parse.GetValue(noCache)) { Report = parse.GetValue(report) },
            interrupt.Token)));
        return command;
    }

    private sealed record Request(string Path, string[] Args, bool Keep, bool Debug, string? Json, bool NoCache)
    {
        /// <summary>Where <c>--report</c> writes its HTML page, or null.</summary>
        public string? Report { get; init; }

        /// <summary>The session's topology, read just before cleanup when a report is asked for.</summary>
        public System.Runtime.CompilerServices.StrongBox<Topology?> Topology { get; } = new();
    }

    private static async Task<int> RunAsync(Request request, CancellationToken ct)
    {
        var errors = Console.Error;
        var summary = new RunSummary { Script = request.Path, Args = request.Args };
        var started = Stopwatch.GetTimestamp();

        // Check the --json target before anything runs: a summary that cannot be written would be lost after a long run.
        Stream? jsonOut;
        try
        {
            if (RunReport.Check(request.Report) is { } refusal)
            {
                throw new DockScriptException(refusal);
            }
            jsonOut = OpenJson(request.Json);
        }
        catch (DockScriptException e)
        {
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using (jsonOut)
        {
            var code = ExitCodes.RuntimeError;
            try
            {
                code = await RunScriptAsync(request, summary, ct).ConfigureAwait(false);
                summary.ExitCode = code;
                summary.TotalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (jsonOut is not null)
                {
                    RunSummaryJson.Write(jsonOut, summary);
                }
                return code;
            }
            finally
            {
                // However the run ended (an exception too: the boundary prints it), the report is written.
                if (request.Report is { } reportPath)
                {
                    summary.ExitCode = code;
                    summary.TotalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    await RunReport.WriteAsync(reportPath, summary, request.Topology.Value, errors).ConfigureAwait(false);
                }
            }
        }
    }

    private static Stream? OpenJson(string? path)
    {
        if (path is null)
        {
            return null;
        }
        if (path == "-")
        {
            return Console.OpenStandardOutput();
        }
        if (Directory.Exists(path))
        {
            throw new DockScriptException($"--json '{path}' is a directory; give a file path such as {Path.Combine(path, "summary.json")}.");
        }
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DockScriptException($"--json '{path}' cannot be written ({e.Message.TrimEnd('.')}); pick a path in a writable directory.");
        }
    }

    private static async Task<int> RunScriptAsync(Request request, RunSummary summary, CancellationToken ct)
    {
        var errors = Console.Error;
        ScriptSources sources;
        try
        {
            sources = ScriptSources.Read(request.Path);
        }
        catch (DockScriptException e)
        {
            summary.Outcome = "usage";
            summary.Error = e.Message;
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Compile and analyse before touching Docker: a typo or a DS error needs no engine to be reported.
        ScriptCache? cache = null;
        if (!request.NoCache)
        {
            cache = ScriptCache.Open(ScriptCache.DefaultDirectory, out var refusal);
            if (refusal is not null)
            {
                await errors.WriteLineAsync($"warning: {refusal}").ConfigureAwait(false);
            }
        }
        Preparation prepared;
        try
        {
            prepared = await ScriptHost.PrepareAsync(sources, cache, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            summary.Outcome = "cancelled";
            return ExitCodes.Interrupted;
        }
        summary.Cache = prepared.Cache;
        summary.CompileMs = prepared.Elapsed.TotalMilliseconds;
        if (request.Debug)
        {
            await errors.WriteLineAsync(prepared.Cache == "off" ? $"cache: off ({(request.NoCache ? "--no-cache" : "refused")})" : $"cache: {prepared.Cache} {prepared.Key}").ConfigureAwait(false);
            await errors.WriteLineAsync($"compile: {prepared.Elapsed.TotalMilliseconds:0} ms{(prepared.Cache == "hit" ? " (loaded from the cache)" : "")}").ConfigureAwait(false);
            if (!sources.Packages.IsEmpty)
            {
                await errors.WriteLineAsync($"packages: {sources.Packages} ({sources.Packages.Restore.Origin}, {sources.Packages.Restore.Elapsed.TotalMilliseconds:0} ms)").ConfigureAwait(false);
            }
        }
        foreach (var line in prepared.Warnings.Concat(prepared.Errors))
        {
            await errors.WriteLineAsync(line).ConfigureAwait(false);
        }
        if (prepared.Script is not { } script)
        {
            summary.Outcome = "compile-error";
            summary.Error = prepared.Errors.Count > 0 ? prepared.Errors[0] : null;
            return ExitCodes.CompileError;
        }

        Lab lab;
        try
        {
            if (request.Debug)
            {
                var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
                await errors.WriteLineAsync($"startup: {sinceStart.TotalMilliseconds:0} ms from process start to the first Docker call").ConfigureAwait(false);
            }
            lab = await Lab.StartAsync(ct: ct).ConfigureAwait(false);
            if (lab.Engine.Endpoint.Warning is { } warning)
            {
                await errors.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            summary.Outcome = "cancelled";
            return ExitCodes.Interrupted;
        }
        catch (DockScriptException e)
        {
            summary.Outcome = "engine-unavailable";
            summary.Error = e.Message;
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.EngineUnavailable;
        }

        await using (lab.ConfigureAwait(false))
        {
            summary.Session = lab.SessionId;
            lab.Images.PullDisplay = PullProgress.Show;
            lab.Probes.ReachabilityDisplay = MatrixProgress.For(AnsiConsole.Console, Console.IsOutputRedirected);
            var runStarted = Stopwatch.GetTimestamp();
            ScriptOutcome outcome;
            try
            {
                outcome = await script.RunAsync(new ScriptGlobals(lab, request.Args), ct).ConfigureAwait(false);
            }
            finally
            {
                summary.RunMs = Stopwatch.GetElapsedTime(runStarted).TotalMilliseconds;
                summary.Journal = lab.Journal.Entries;
                if (request.Report is not null)
                {
                    request.Topology.Value = await SessionTopologyAsync(lab, errors).ConfigureAwait(false);
                }
                await CleanupAsync(lab, request.Keep, summary, errors).ConfigureAwait(false);
            }
            return await ReportAsync(outcome, request.Debug, summary, errors, ct).ConfigureAwait(false);
        }
    }

    /// <summary>What the session built, read before cleanup removes it; null (and a line) when the engine does not answer in time.</summary>
    private static async Task<Topology?> SessionTopologyAsync(Lab lab, TextWriter errors)
    {
        // Not the run's token: after a Ctrl+C the report still shows what was built.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await TopologyReader.OfSessionAsync(lab, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockScriptException or OperationCanceledException)
        {
            await errors.WriteLineAsync($"report: the topology could not be read ({e.Message.TrimEnd('.')}).").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task CleanupAsync(Lab lab, bool keep, RunSummary summary, TextWriter errors)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Cleanup must run even after Ctrl+C, so it does not take the cancelled token; a hung
            // engine must not hang the exit, so it is bounded (what is left is reported as kept).
            using (var listing = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try
                {
                    summary.Created = await lab.GetCreatedAsync(listing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (listing.IsCancellationRequested)
                {
                    // The engine did not answer: the cleanup below says what it could not remove.
                }
            }
            if (keep)
            {
                return;
            }
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var report = await lab.CleanupAsync(bound.Token).ConfigureAwait(false);
            summary.Cleanup = RunCleanup.Of(report);
            if (!report.IsEmpty)
            {
                await errors.WriteLineAsync($"cleanup: {report}").ConfigureAwait(false);
            }
        }
        catch (DockScriptException e)
        {
            summary.CleanupError = e.Message;
            await errors.WriteLineAsync($"cleanup failed: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            summary.CleanupMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    private static async Task<int> ReportAsync(ScriptOutcome outcome, bool debug, RunSummary summary, TextWriter errors, CancellationToken ct)
    {
        switch (outcome)
        {
            case ScriptOutcome.Cancelled:
            case var _ when ct.IsCancellationRequested:
                // Interrupted, even if the script caught the cancellation and finished on its own.
                summary.Outcome = "cancelled";
                await errors.WriteLineAsync("interrupted").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            case ScriptOutcome.Completed { ReturnValue: int code }:
                summary.Outcome = "completed";
                return code;
            case ScriptOutcome.Completed:
                summary.Outcome = "completed";
                return Environment.ExitCode;
            case ScriptOutcome.CompileFailed compile:
                summary.Outcome = "compile-error";
                foreach (var line in compile.Diagnostics)
                {
                    await errors.WriteLineAsync(line).ConfigureAwait(false);
                }
                return ExitCodes.CompileError;
            case ScriptOutcome.Failed failed:
                var where = failed.Location is null ? "" : failed.Location + ": ";
                var what = failed.Exception is DockScriptException ? failed.Exception.Message : $"{failed.Exception.GetType().Name}: {failed.Exception.Message}";
                summary.Outcome = "runtime-error";
                summary.Error = what;
                summary.ErrorLocation = failed.Location;
                await errors.WriteLineAsync($"{where}error: {what}").ConfigureAwait(false);
                if (debug)
                {
                    await errors.WriteLineAsync(failed.Exception.ToString()).ConfigureAwait(false);
                }
                else if (failed.Exception is not DockScriptException)
                {
                    await errors.WriteLineAsync("(run with --debug for the full stack trace)").ConfigureAwait(false);
                }
                return failed.Exception is EngineUnavailableException ? ExitCodes.EngineUnavailable : ExitCodes.RuntimeError;
            default:
                throw new InvalidOperationException($"Unknown outcome {outcome}.");
        }
    }
}
