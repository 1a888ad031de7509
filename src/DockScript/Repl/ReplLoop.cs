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
    private readonly IAnsiConsole console;
    private readonly bool keep;
    private readonly LabConnection connection;
    private readonly ReplEvaluator evaluator;
    private readonly EngineLiveNames liveNames;
    private readonly ResultView view;
    private readonly Lock sync = new();
    private readonly List<string> pendingAccepts = [];
    private ReplServices? services;
    private bool debug;
    private int submissions;
    private readonly TaskCompletionSource firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gives memory back once the REPL has been idle a moment after a submission.</summary>
    private readonly Timer idleTrim = new(_ => ProcessMemory.Trim());

    public ReplLoop(IAnsiConsole console, bool keep, LabOptions? options = null)
    {
        this.console = console;
        this.keep = keep;
        connection = new LabConnection(options ?? new LabOptions(), lab => lab.Probes.ReachabilityDisplay = MatrixProgress.For(console, Console.IsOutputRedirected));
        evaluator = new ReplEvaluator(ScriptGlobals.Deferred(connection.Get));
        liveNames = new EngineLiveNames(() => connection.Current);
        view = new ResultView(console);
    }

    /// <summary>Where submissions are remembered across runs: <c>$XDG_DATA_HOME/dockscript/history</c>.</summary>
    public static string HistoryPath()
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "dockscript", "history");
    }

    public async Task<int> RunAsync()
    {
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
        var warmUp = Task.Run(WarmUpAsync);
        await using var prompt = new Prompt(historyFile, new ReplPrompt(() => services), configuration: ReplPrompt.Configuration());
        while (true)
        {
            var response = await prompt.ReadLineAsync().ConfigureAwait(false);
            if (response is KeyPressCallbackResult { Output: ReplPrompt.ExitRequest })
            {
                break;
            }
            if (!response.IsSuccess || string.IsNullOrWhiteSpace(response.Text))
            {
                continue;
            }
            var text = response.Text.Trim();
            try
            {
                if (Meta.TryParse(text, out var command, out var argument))
                {
                    if (!await RunMetaAsync(command, argument, response.CancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }
                    continue;
                }
                await EvaluateAsync(response.Text, response.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (response.CancellationToken.IsCancellationRequested)
            {
                console.MarkupLine("[yellow]cancelled[/]");
            }
            catch (DockScriptException e)
            {
                Error(e.Message);
            }
        }
        await ExitAsync().ConfigureAwait(false);
        _ = warmUp;
        return ExitCodes.Success;
    }

    private async Task WarmUpAsync()
    {
        // The engine first (it is I/O), then the compiler the first answer needs, then the editor services.
        var connecting = connection.GetAsync();
        try
        {
            await evaluator.WarmUpAsync().ConfigureAwait(false);
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
            await connecting.ConfigureAwait(false);
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
        var outcome = await evaluator.EvaluateAsync(code, ct).ConfigureAwait(false);
        switch (outcome)
        {
            case ScriptOutcome.Completed completed:
                Accept(code);
                if (completed.HasValue)
                {
                    await view.ShowAsync(completed.ReturnValue, ct).ConfigureAwait(false);
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
                console.MarkupLine("[yellow]cancelled[/]");
                break;
        }
        liveNames.Invalidate();
        firstAnswer.TrySetResult();
        // Give memory back when the user pauses, and every so often during a long burst.
        if (++submissions % 50 == 0)
        {
            ProcessMemory.Trim();
        }
        idleTrim.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
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

    private void Failure(Exception e)
    {
        Error(e is DockScriptException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        if (debug)
        {
            console.WriteLine(e.ToString());
        }
    }

    private void Error(string message) => console.MarkupLineInterpolated($"[red]{message}[/]");

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
                await CleanupAsync().ConfigureAwait(false);
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
                await CleanupAsync().ConfigureAwait(false);
            }
        }
        evaluator.Reset();
        lock (sync)
        {
            pendingAccepts.Clear();
            services?.Workspace.Reset();
        }
        console.MarkupLine("[grey]new session state: all variables forgotten[/]");
    }

    private async Task CleanupAsync()
    {
        if (connection.Current is not { } lab)
        {
            console.MarkupLine("[grey]nothing to clean up[/]");
            return;
        }
        try
        {
            var report = await lab.CleanupAsync(CancellationToken.None).ConfigureAwait(false);
            console.MarkupLineInterpolated($"[grey]{report.ToString()}[/]");
        }
        catch (DockScriptException e)
        {
            Error($"cleanup failed: {e.Message}");
        }
        liveNames.Invalidate();
    }

    private async Task ExitAsync()
    {
        if (keep)
        {
            if (connection.Current is not null)
            {
                console.MarkupLine("[grey]--keep: leaving what this session created[/]");
            }
            return;
        }
        await CleanupAsync().ConfigureAwait(false);
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
        console.MarkupLine("[grey]Keys: Enter runs (or adds a line when the code is unfinished), Shift+Enter or Alt+Enter adds a line, Ctrl+Space completes, Tab/Enter accept, Ctrl+C cancels the running submission or clears the line, Ctrl+D exits.[/]");
    }

    public async ValueTask DisposeAsync()
    {
        await idleTrim.DisposeAsync().ConfigureAwait(false);
        liveNames.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
