using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace DockScript.Scripting.Repl;

/// <summary>
/// Runs REPL submissions one after another on a shared <see cref="ScriptState"/>, so each sees
/// the variables of the ones before. A submission runs under its own cancellation, made ambient
/// for the blocking DSL calls: Ctrl+C ends that submission, never the session.
/// </summary>
public sealed class ReplEvaluator(ScriptGlobals globals)
{
    // Built on first use, off the thread that shows the prompt: Roslyn's script options and the
    // references take a good part of the time to the first answer.
    private readonly Lazy<ScriptOptions> lazyOptions = new(ScriptHost.ReplOptions);
    private volatile bool submitted;
    // The options with the packages that #r "nuget: …" brought, once there are any.
    private ScriptOptions? withPackages;
    private readonly Packages.ReplPackages packages = new(Packages.PackageRestore.Default, Environment.CurrentDirectory);

    /// <summary>An evaluator whose <c>#r "nuget: …"</c> restores through <paramref name="restore"/>, configured from <paramref name="directory"/> (tests).</summary>
    internal ReplEvaluator(ScriptGlobals globals, Packages.PackageRestore restore, string directory) : this(globals) =>
        packages = new(restore, directory);

    /// <summary>Told each step of the warm-up and of a submission as it finishes (the REPL's <c>DOCKSCRIPT_TRACE</c>).</summary>
    internal Action<string>? Milestone { get; set; }

    /// <summary>Told, while a submission's <c>#r "nuget: …"</c> fetches packages, what is being restored (the REPL shows it as a progress line).</summary>
    public Action<string>? Restoring { get; set; }
    private readonly List<Submission> accepted = [];
    private ScriptState<object>? state;
    private Task<ScriptState<object>>? empty;
    private readonly Dictionary<string, Script<object>> compiled = new(StringComparer.Ordinal);
    private ScriptState<object>? compiledFrom;
    private const int MaxCompiled = 64;

    /// <summary>
    /// A submission cancelled with Ctrl+C that ignores its cancellation and is still running (its
    /// token stays cancelled), or null. The REPL waits for it before it runs the next submission or exits.
    /// </summary>
    public Task? StillRunning { get; private set; }

    /// <summary>The submissions the session kept, oldest first (what <c>#save</c> writes): those that ran, and those that threw after declaring something.</summary>
    public IReadOnlyList<Submission> Accepted => accepted;

    /// <summary>
    /// Takes a throw-away submission the whole way a real one goes (continue the empty state,
    /// compile, emit, ask for its value's type, run), so the first real one finds each step
    /// compiled and loaded rather than paying for the JIT itself.
    /// </summary>
    public Task WarmUpAsync(CancellationToken ct = default) => Task.WhenAll(Task.Run(async () =>
    {
        // A submission typed meanwhile takes the cores: each step is skipped once one has come.
        var start = await Start().ConfigureAwait(false);
        Milestone?.Invoke("warm: empty submission");
        if (submitted)
        {
            return;
        }
        var value = start.Script.ContinueWith<object>("1 + 1", options);
        _ = HasValue(value.GetCompilation());
        Milestone?.Invoke("warm: value bound");
        await value.RunFromAsync(start, _ => true, ct).ConfigureAwait(false);
        Milestone?.Invoke("warm: value ran");
        if (submitted)
        {
            return;
        }
        // Binding against the globals warms what DSL code needs; it is compiled, never run (it would connect).
        var script = start.Script.ContinueWith<object>("var n = Networks; n.ToString()", options);
        script.Compile(ct);
        _ = script.CreateDelegate(ct);
    }, ct), Task.Run(() => WarmCompilerAsync(ct), ct));

    /// <summary>
    /// The compiler's own code, warmed on the second core while the session's first submission
    /// binds its references on the first: a script with one reference (the core library) is
    /// parsed, bound, emitted with its PDB, loaded and run, so most of what the user's first
    /// submission runs through is compiled by the time it gets there. (The time to the first
    /// answer is mostly the JIT compiling Roslyn code that ReadyToRun could not precompile.)
    /// </summary>
    private async Task WarmCompilerAsync(CancellationToken ct)
    {
        var core = ReplReferences.All.FirstOrDefault(r => r.Display == "System.Private.CoreLib.dll");
        if (core is null)
        {
            return;
        }
        try
        {
            var bare = ScriptOptions.Default.WithReferences(core).WithImports("System").WithEmitDebugInformation(true).WithFileEncoding(System.Text.Encoding.UTF8);
            var script = CSharpScript.Create<object>("6 * 7", bare);
            _ = HasValue(script.GetCompilation());
            await script.RunAsync(cancellationToken: ct).ConfigureAwait(false);
            Milestone?.Invoke("warm: compiler");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a head start: the session's own warm-up and submissions do not depend on it.
        }
    }

    private ScriptOptions options => withPackages ?? lazyOptions.Value;

    /// <summary>
    /// The state every chain starts from: an empty submission. Submissions always continue a
    /// state, because a continuation reuses the compiler's resolved references, while a fresh
    /// script resolves them all again (tens of megabytes each time).
    /// </summary>
    private Task<ScriptState<object>> Start()
    {
        lock (accepted)
        {
            return empty ??= CSharpScript.Create<object>("", options, typeof(ScriptGlobals), packages.Loader).RunAsync(globals);
        }
    }

    /// <summary>Forgets every variable and submission (<c>#reset</c>).</summary>
    public void Reset()
    {
        lock (accepted)
        {
            state = null;
            empty = null;
            accepted.Clear();
        }
    }

    /// <summary>
    /// Runs one submission. On Ctrl+C (<paramref name="ct"/>) it returns at once with
    /// <see cref="ScriptOutcome.Cancelled"/>; code that ignores the token is left to finish on
    /// its own (see <see cref="StillRunning"/>) and its result is dropped, so the session is as it was before.
    /// </summary>
    public async Task<ScriptOutcome> EvaluateAsync(string code, CancellationToken ct = default)
    {
        submitted = true;
        var previous = state ?? await Start().ConfigureAwait(false);
        if (await RestorePackagesAsync(code, ct).ConfigureAwait(false) is { Count: > 0 } problems)
        {
            return new ScriptOutcome.CompileFailed(problems);
        }
        Milestone?.Invoke("eval: started");
        var script = Compiled(previous, code);
        var errors = script.Compile(ct).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Milestone?.Invoke("eval: compiled");
        if (errors.Count > 0)
        {
            return new ScriptOutcome.CompileFailed(errors.Select(Format).ToList());
        }
        var hasValue = HasValue(script.GetCompilation());
        Milestone?.Invoke("eval: value type");
        var run = Task.Run(async () =>
        {
            using var ambient = Ambient.Use(ct);
            return await script.RunFromAsync(previous, _ => true, ct).ConfigureAwait(false);
        }, CancellationToken.None);
        var cancelled = new TaskCompletionSource();
        using (ct.Register(() => cancelled.TrySetResult()))
        {
            await Task.WhenAny(run, cancelled.Task).ConfigureAwait(false);
        }
        if (!run.IsCompleted)
        {
            _ = run.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            StillRunning = run;
            return new ScriptOutcome.Cancelled();
        }
        ScriptState<object> next;
        try
        {
            next = await run.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Classify(e, ct);
        }
        if (next.Exception is { } thrown)
        {
            var outcome = Classify(thrown, ct);
            // As in C# Interactive, what a throwing submission declared stays: `var r = Ping(…);
            // r.Rtt.Avg` that throws leaves r to look at. (Ctrl+C is not a failure to inspect.)
            if (outcome is ScriptOutcome.Failed failed && SubmissionWorkspace.Declares(code))
            {
                state = next;
                accepted.Add(new Submission(code, hasValue) { Threw = $"{failed.Exception.GetType().Name}: {failed.Exception.Message}" });
                return failed with { KeptVariables = true };
            }
            return outcome;
        }
        // Roslyn chains each submission to all before it, and every compilation in the chain binds
        // against all earlier ones: memory grows faster than linearly with the chain. A submission
        // that declares nothing adds nothing later code can name, so it runs from the state before
        // it and is then dropped from the chain (what it assigned to earlier variables stays: those
        // live in the earlier submissions' objects).
        if (SubmissionWorkspace.Declares(code))
        {
            state = next;
        }
        accepted.Add(new Submission(code, hasValue));
        return new ScriptOutcome.Completed(next.ReturnValue) { HasValue = hasValue };
    }

    /// <summary>
    /// The submission compiled as a continuation of <paramref name="previous"/>. A REPL user runs
    /// the same line again and again (<c>Containers</c>, <c>Ping(a, b)</c>, Up and Enter): each
    /// compilation becomes an assembly the process can never unload, so a line already compiled
    /// against the same state runs again from its compiled form.
    /// </summary>
    private Script<object> Compiled(ScriptState<object> previous, string code)
    {
        lock (compiled)
        {
            if (!ReferenceEquals(compiledFrom, previous))
            {
                compiled.Clear();
                compiledFrom = previous;
            }
            if (compiled.TryGetValue(code, out var known))
            {
                return known;
            }
            var script = previous.Script.ContinueWith<object>(code, options);
            if (compiled.Count >= MaxCompiled)
            {
                compiled.Clear();
            }
            compiled[code] = script;
            return script;
        }
    }

    /// <summary>Restores a submission's <c>#r "nuget: …"</c> packages; their assemblies join the options of this and every later submission.</summary>
    private async Task<IReadOnlyList<string>> RestorePackagesAsync(string code, CancellationToken ct)
    {
        var (next, problems) = await packages.AddAsync(code, options, Restoring, ct).ConfigureAwait(false);
        if (!ReferenceEquals(next, options))
        {
            withPackages = next;
            lock (compiled)
            {
                compiled.Clear(); // compiled against fewer references
            }
        }
        return problems;
    }

    /// <summary>True when the submission ends in an expression (no semicolon) of a type other than void: the REPL shows its value.</summary>
    private static bool HasValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            return false;
        }
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(last.Expression).Type;
        return type is not { SpecialType: SpecialType.System_Void };
    }

    private static ScriptOutcome Classify(Exception e, CancellationToken ct)
    {
        var inner = CompiledScript.Unwrap(e);
        return inner is OperationCanceledException && ct.IsCancellationRequested
            ? new ScriptOutcome.Cancelled()
            : new ScriptOutcome.Failed(inner, null);
    }

    /// <summary>A diagnostic as <c>(line,col): error CSxxxx: message</c>, positions within the submission.</summary>
    public static string Format(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        var severity = d.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{where}{severity} {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
    }
}
