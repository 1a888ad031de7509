using DockScript.Scripting;
using DockScript.Scripting.Repl;
using PrettyPrompt;
using Spectre.Console;

namespace DockScript.Cli.Repl;

/// <summary>
/// The read-eval-print loop. The prompt shows at once; the engine connection, the compiler and
/// the editor services warm up behind it. Every submission's outcome is matched in one place,
/// and no outcome ends the loop: only <c>#exit</c> and Ctrl+D do.
/// </summary>
internal sealed class ReplLoop : IAsyncDisposable
{
    private readonly Lazy<IAnsiConsole> lazyConsole;
    private readonly bool keep;
    private readonly LabConnection connection;
    private readonly ReplEvaluator evaluator;
    private readonly EngineLiveNames liveNames;
    private readonly Lazy<ResultView> lazyView;
    private readonly Lock sync = new();
    private readonly List<string> pendingAccepts = [];
    private ReplServices? services;
    private bool debug;
    private int submissions;
    private readonly Keyboard keyboard = new(new PrettyPrompt.Consoles.SystemConsole());
    private Task? shutdown;
    private readonly TaskCompletionSource firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gives memory back once the REPL has been idle a moment after a submission.</summary>
    private readonly Timer idleTrim = new(_ => ProcessMemory.Trim());

    /// <param name="console">Made on first use: finding out what the terminal can do takes a while, and the compiler warms up meanwhile.</param>
    /// <param name="keep">Leave what the session created (<c>--keep</c>).</param>
    /// <param name="options">The session's options.</param>
    public ReplLoop(Func<IAnsiConsole> console, bool keep, LabOptions? options = null)
    {
        lazyConsole = new(console);
        this.keep = keep;
        connection = new LabConnection(options ?? new LabOptions(), lab => lab.Probes.ReachabilityDisplay = MatrixProgress.For(this.console, Console.IsOutputRedirected));
        evaluator = new ReplEvaluator(ScriptGlobals.Deferred(connection.Get));
        evaluator.Milestone = StartupTrace.Mark;
        evaluator.Restoring = what => this.console.MarkupLineInterpolated($"[grey]{what}[/]");
        liveNames = new EngineLiveNames(() => connection.Current);
        lazyView = new(() => new ResultView(this.console));
        // The compiler warms up from here, alongside the terminal and the line editor.
        _ = Task.Run(WarmUpAsync);
    }

    private IAnsiConsole console => lazyConsole.Value;

    private ResultView view => lazyView.Value;

    /// <summary>Where submissions are remembered across runs: <c>$XDG_DATA_HOME/dockscript/history</c>.</summary>
    public static string HistoryPath()
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "dockscript", "history");
    }

    /// <summary>How long leaving waits for the cleanup, and for a submission that ignores Ctrl+C.</summary>
    public static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync()
    {
        var code = ExitCodes.Success;
        try
        {
            await ReadEvalPrintAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The loop itself broke (the terminal went away, a bug): say it once, then leave as #exit does.
            Say($"[red]The REPL must close: {Markup.Escape(e.GetType().Name)}: {Markup.Escape(e.Message)}[/]");
            if (debug)
            {
                Say(Markup.Escape(e.ToString()));
            }
            code = ExitCodes.RuntimeError;
        }
        await ShutdownAsync().ConfigureAwait(false);
        return code;
    }

    /// <summary>A plain-TCP engine gets one yellow line under the banner; an unusable endpoint is said when the session opens.</summary>
    private void EndpointWarning()
    {
        try
        {
            if (DockerEndpoint.FromEnvironment().Warning is { } warning)
            {
                console.MarkupLineInterpolated($"[yellow]warning: {warning}[/]");
            }
        }
        catch (DockScriptException)
        {
        }
    }

    private async Task ReadEvalPrintAsync()
    {
        StartupTrace.Mark("loop running");
        console.MarkupLine("[grey]DockScript REPL: C# against your Docker engine. [bold]#help[/] lists what you can type; Ctrl+D or [bold]#exit[/] leaves.[/]");
        var history = HistoryPath();
        string? historyFile = history;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(history)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[yellow]History is off: cannot create {Path.GetDirectoryName(history)} ({e.Message}).[/]");
            historyFile = null;
        }
        EndpointWarning();
        StartupTrace.Mark("banner shown");
        var callbacks = new ReplPrompt(() => services, liveNames, keyboard);
        await using var prompt = new Prompt(historyFile, callbacks, keyboard, ReplPrompt.Configuration());
        var brokenReads = 0;
        while (true)
        {
            PromptResult response;
            try
            {
                StartupTrace.Mark("prompt");
                response = await prompt.ReadLineAsync().ConfigureAwait(false);
                StartupTrace.Mark("line read");
                brokenReads = 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException && ++brokenReads < 3)
            {
                // The line editor or a service it called failed on this line: the line is lost, the session is not.
                Failure(e, "the line editor failed");
                continue;
            }
            if (callbacks.TakeFailure() is { } serviceFailure)
            {
                Failure(serviceFailure, "completion or highlighting failed (editing goes on without it)");
            }
            if (response is KeyPressCallbackResult { Output: ReplPrompt.ExitRequest })
            {
                return;
            }
            if (!response.IsSuccess || string.IsNullOrWhiteSpace(response.Text))
            {
                continue;
            }
            var text = response.Text.Trim();
            var ct = response.CancellationToken;
            try
            {
                if (Meta.TryParse(text, out var command, out var argument))
                {
                    if (!await RunMetaAsync(command, argument, ct).ConfigureAwait(false))
                    {
                        return;
                    }
                    continue;
                }
                if (await WaitForStillRunningAsync(ct).ConfigureAwait(false))
                {
                    await EvaluateAsync(response.Text, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                console.MarkupLine("[yellow]cancelled[/]");
            }
            catch (DockScriptException e)
            {
                Error(e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // From the submission's value as it was shown (a ToString, a lazy query, a getter, a
                // table), or from a command: one line, and the session with its variables goes on.
                Failure(e);
            }
        }
    }

    /// <summary>
    /// Before the next submission runs, an earlier one that ignored Ctrl+C must have finished: two
    /// submissions never run at once on the same variables. False when the user gave up waiting.
    /// </summary>
    private async Task<bool> WaitForStillRunningAsync(CancellationToken ct)
    {
        if (evaluator.StillRunning is not { IsCompleted: false } still)
        {
            return true;
        }
        console.MarkupLine("[yellow]waiting for the earlier submission that ignores Ctrl+C to finish (Ctrl+C stops waiting)[/]");
        var cancelled = new TaskCompletionSource();
        using (ct.Register(() => cancelled.TrySetResult()))
        {
            await Task.WhenAny(still, cancelled.Task).ConfigureAwait(false);
        }
        if (!still.IsCompleted)
        {
            console.MarkupLine("[yellow]cancelled: the earlier submission is still running[/]");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Leaves the REPL, however that came about (Ctrl+D, #exit, a crash, the terminal closing,
    /// SIGTERM): waits a bounded time for a submission that ignores Ctrl+C, then removes what the
    /// session created unless <c>--keep</c>, also bounded. Runs once; every caller gets the same run.
    /// </summary>
    public Task ShutdownAsync()
    {
        lock (sync)
        {
            return shutdown ??= Task.Run(ShutdownOnceAsync);
        }
    }

    private async Task ShutdownOnceAsync()
    {
        if (evaluator.StillRunning is { IsCompleted: false } still)
        {
            Say("[yellow]waiting for the submission that ignores Ctrl+C (at most 10 s)[/]");
            if (await Task.WhenAny(still, Task.Delay(ExitBound)).ConfigureAwait(false) != still)
            {
                Say("[yellow]it is still running; leaving anyway[/]");
            }
        }
        if (keep)
        {
            if (connection.Current is not null)
            {
                Say("[grey]--keep: leaving what this session created[/]");
            }
            return;
        }
        using var bound = new CancellationTokenSource(ExitBound);
        var cleanup = CleanupAsync(bound.Token);
        if (await Task.WhenAny(cleanup, Task.Delay(ExitBound + TimeSpan.FromSeconds(1))).ConfigureAwait(false) != cleanup || !cleanup.Result)
        {
            Say("[red]cleanup did not finish in 10 s; 'dockscript down' removes what is left[/]");
        }
    }

    private async Task WarmUpAsync()
    {
        // The compiler the first answer needs, then the engine, then the editor services. The
        // engine waits for the compiler: connecting JIT-compiles the HTTP and JSON stacks, which
        // would take CPU from the first answer on two cores (a submission that needs the engine
        // sooner connects itself).
        Task<Lab>? connecting = null;
        try
        {
            await evaluator.WarmUpAsync().ConfigureAwait(false);
            StartupTrace.Mark("compiler warm");
            connecting = connection.GetAsync();
            // Two cores are shared: let a first submission typed at once have them, for a moment.
            await Task.WhenAny(firstAnswer.Task, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            var workspace = new SubmissionWorkspace();
            var ready = new ReplServices(workspace, liveNames);
            await ready.WarmUpAsync().ConfigureAwait(false);
            lock (sync)
            {
                foreach (var code in pendingAccepts)
                {
                    workspace.Accept(code);
                }
                pendingAccepts.Clear();
                services = ready;
            }
            StartupTrace.Mark("editor services warm");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Editing stays plain without the services; evaluation does not depend on them.
            if (debug)
            {
                console.WriteException(e);
            }
        }
        try
        {
            await (connecting ?? connection.GetAsync()).ConfigureAwait(false);
            _ = liveNames.Refresh();
            ProcessMemory.Trim();
        }
        catch (DockScriptException)
        {
            // Said once, when a submission needs the engine.
        }
    }

    private async Task EvaluateAsync(string code, CancellationToken ct)
    {
        try
        {
            var outcome = await evaluator.EvaluateAsync(code, ct).ConfigureAwait(false);
            StartupTrace.Mark("evaluated");
            switch (outcome)
            {
                case ScriptOutcome.Completed completed:
                    Accept(code);
                    if (completed.HasValue)
                    {
                        await view.ShowAsync(completed.ReturnValue, ct).ConfigureAwait(false);
                        StartupTrace.Mark("shown");
                    }
                    break;
                case ScriptOutcome.CompileFailed compile:
                    foreach (var line in compile.Diagnostics)
                    {
                        Error(line);
                    }
                    break;
                case ScriptOutcome.Failed failed:
                    Failure(failed.Exception);
                    if (failed.KeptVariables)
                    {
                        Accept(code);
                        console.MarkupLine("[grey]the variables it declared are kept, with the values they had when it threw[/]");
                    }
                    break;
                case ScriptOutcome.Cancelled:
                    await CancelledAsync().ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            // Also when showing the value threw (a ToString, a lazy query): the compile's memory is the same.
            liveNames.Invalidate();
            firstAnswer.TrySetResult();
            // Give memory back when the user pauses, when it has grown a lot since it was last given
            // back (before the prompt returns), and every so often during a long burst.
            if (++submissions % 50 == 0 || ProcessMemory.Grown())
            {
                ProcessMemory.Trim();
            }
            idleTrim.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        }
    }

    private async Task CancelledAsync()
    {
        // A moment's grace: code that checks its token stops within it.
        if (evaluator.StillRunning is { IsCompleted: false } still
            && await Task.WhenAny(still, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false) != still)
        {
            console.MarkupLine("[yellow]cancelled, but the submission ignores Ctrl+C and is still running; its cancellation stays requested. The next submission waits for it, and #exit waits up to 10 s.[/]");
            return;
        }
        console.MarkupLine("[yellow]cancelled[/]");
    }

    private void Accept(string code)
    {
        lock (sync)
        {
            if (services is null)
            {
                pendingAccepts.Add(code);
            }
            else
            {
                services.Workspace.Accept(code);
            }
        }
    }

    private void Failure(Exception e, string? context = null)
    {
        var what = e is DockScriptException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        Error(context is null ? what : $"{context}: {what}");
        if (debug)
        {
            Say(Markup.Escape(e.ToString()));
        }
    }

    private void Error(string message) => Say($"[red]{Markup.Escape(message)}[/]");

    /// <summary>Writes a line of markup; a terminal that is gone (SIGHUP) must not stop the cleanup that follows.</summary>
    private void Say(string markup)
    {
        try
        {
            console.MarkupLine(markup);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a meta-command; false means leave the REPL.</summary>
    private async Task<bool> RunMetaAsync(string command, string argument, CancellationToken ct)
    {
        switch (command)
        {
            case "help":
                Help();
                return true;
            case "exit" or "quit":
                return false;
            case "debug":
                debug = argument is "" or "on";
                var gc = GC.GetGCMemoryInfo();
                console.MarkupLineInterpolated($"[grey]stack traces {(debug ? "on" : "off")} (GC heap {gc.HeapSizeBytes >> 20} MB, committed {gc.TotalCommittedBytes >> 20} MB, working set {Environment.WorkingSet >> 20} MB)[/]");
                return true;
            case "cleanup":
                await CleanupAsync(CancellationToken.None).ConfigureAwait(false);
                return true;
            case "reset":
                await ResetAsync(ct).ConfigureAwait(false);
                return true;
            case "load":
                if (argument.Length == 0)
                {
                    Error("#load needs a file: #load setup.csx");
                    return true;
                }
                var path = Meta.Unquote(argument);
                await EvaluateAsync(ScriptSources.ReadText(path), ct).ConfigureAwait(false);
                return true;
            case "topology":
                await ShowTopologyAsync(Meta.Unquote(argument), ct).ConfigureAwait(false);
                return true;
            case "save":
                if (argument.Length == 0)
                {
                    Error("#save needs a file: #save session.csx");
                    return true;
                }
                Save(Meta.Unquote(argument));
                return true;
            default:
                Error($"Unknown command '#{command}'; #help lists the commands ({string.Join(", ", Meta.Commands.Select(c => "#" + c))}).");
                return true;
        }
    }

    /// <summary><c>#topology [file]</c>: what this session built, as a tree, with the last matrix; drawn to a file when one is named.</summary>
    private async Task ShowTopologyAsync(string path, CancellationToken ct)
    {
        try
        {
            var lab = connection.Get();
            var topology = await TopologyReader.OfSessionAsync(lab, ct).ConfigureAwait(false);
            if (lab.Journal.Entries.OfType<JournalEntry.Reachability>().LastOrDefault() is { } last)
            {
                topology = topology.WithReachability(last.Detail);
            }
            if (topology.Containers.Count == 0 && topology.Networks.Count == 0)
            {
                Say("[grey]this session has built nothing yet; Topology() shows everything on the engine[/]");
                return;
            }
            console.Write(TopologyTree.Render(topology));
            console.WriteLine();
            if (path.Length > 0)
            {
                Say($"[grey]{Markup.Escape((await topology.SaveAsync(path, ct).ConfigureAwait(false)).ToString())}[/]");
            }
        }
        catch (DockScriptException e)
        {
            Error(e.Message);
        }
    }

    private void Save(string path)
    {
        try
        {
            File.WriteAllText(path, Transcript.ToScript(evaluator.Accepted, DateTimeOffset.UtcNow));
            console.MarkupLineInterpolated($"[grey]saved {evaluator.Accepted.Count} submissions to {path}; replay with: dockscript run {path}[/]");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Error($"Cannot write '{path}': {e.Message}");
        }
    }

    private async Task ResetAsync(CancellationToken ct)
    {
        if (connection.Current is { } lab)
        {
            var created = await lab.GetCreatedAsync(ct).ConfigureAwait(false);
            if (created.Count > 0 && await console.ConfirmAsync($"Also remove what this session created ({Markup.Escape(string.Join(", ", created))})?", defaultValue: false, ct).ConfigureAwait(false))
            {
                await CleanupAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        // The probes' namespace threads and helper shells belong to the state being forgotten.
        connection.Current?.ResetProbes();
        evaluator.Reset();
        lock (sync)
        {
            pendingAccepts.Clear();
            services?.Workspace.Reset();
        }
        console.MarkupLine("[grey]new session state: all variables forgotten[/]");
    }

    /// <summary>Removes what the session created and says what went; false when it failed.</summary>
    private async Task<bool> CleanupAsync(CancellationToken ct)
    {
        if (connection.Current is not { } lab)
        {
            Say("[grey]nothing to clean up[/]");
            return true;
        }
        try
        {
            var report = await lab.CleanupAsync(ct).ConfigureAwait(false);
            Say($"[grey]{Markup.Escape(report.ToString())}[/]");
            return true;
        }
        catch (DockScriptException e)
        {
            Error($"cleanup failed: {e.Message}");
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            liveNames.Invalidate();
        }
    }

    private void Help()
    {
        var globals = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey).AddColumn("global").AddColumn("example");
        foreach (var (name, example) in Meta.Globals)
        {
            globals.AddRow(new Text(name, new Style(Color.Cyan)), new Text(example));
        }
        console.Write(globals);
        var commands = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey).AddColumn("command").AddColumn("what it does");
        foreach (var (name, what) in Meta.Help)
        {
            commands.AddRow(new Text(name, new Style(Color.Cyan)), new Text(what));
        }
        console.Write(commands);
        console.MarkupLine("[grey]Keys: Enter runs (or adds a line when the code is unfinished), Shift+Enter or Alt+Enter adds a line, Tab completes the word (or opens the list; at the start of a line it indents), Ctrl+Space opens the list, Tab/Enter take its item, Ctrl+C cancels the running submission or clears the line, Ctrl+D exits.[/]");
    }

    public async ValueTask DisposeAsync()
    {
        await idleTrim.DisposeAsync().ConfigureAwait(false);
        liveNames.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
