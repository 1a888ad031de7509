using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace DockScript.Scripting;

/// <summary>
/// Compiles and runs <c>.csx</c> files with Roslyn against <see cref="ScriptGlobals"/>, with the
/// DockScript namespaces imported.
/// </summary>
public static class ScriptHost
{
    /// <summary>The namespaces every script imports.</summary>
    public static IReadOnlyList<string> Imports { get; } =
    [
        "System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading", "System.Threading.Tasks",
        "DockScript", "DockScript.Scripting",
    ];

    /// <summary>Script options for a file: imports, references, file path and debug information for line numbers.</summary>
    public static ScriptOptions OptionsFor(string path)
    {
        var full = Path.GetFullPath(path);
        return ScriptOptions.Default
            .WithFilePath(full)
            .WithFileEncoding(Encoding.UTF8)
            .WithEmitDebugInformation(true)
            .WithImports(Imports)
            .WithReferences(typeof(Lab).Assembly, typeof(ScriptGlobals).Assembly, typeof(Docker.DotNet.DockerClient).Assembly)
            .WithSourceResolver(new SourceFileResolver([], Path.GetDirectoryName(full)))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(Path.GetDirectoryName(full)));
    }

    /// <summary>Script options for REPL submissions: the same imports and references, resolving paths from the current directory.</summary>
    public static ScriptOptions ReplOptions()
    {
        var directory = Environment.CurrentDirectory;
        return ScriptOptions.Default
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithImports(Imports)
            .WithReferences(Repl.ReplReferences.All)
            .WithSourceResolver(new SourceFileResolver([], directory))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory));
    }

    /// <summary>Reads a script file, failing with one sentence when it is missing or unreadable.</summary>
    /// <exception cref="DockScriptException">The file cannot be read.</exception>
    public static string ReadSource(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DockScriptException($"'{path}' is a directory; give the path of a .csx script file.");
        }
        if (!File.Exists(path))
        {
            throw new DockScriptException($"Script '{path}' does not exist; check the path (it is relative to {Environment.CurrentDirectory}).");
        }
        try
        {
            // Decode strictly and by hand: ReadAllText would follow a UTF-16 byte-order mark instead of failing.
            var bytes = File.ReadAllBytes(path);
            var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new DockScriptException($"Script '{path}' is not valid UTF-8 text; save it as UTF-8.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockScriptException($"Script '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary>Compiles a script file; returns the script, or the failure with its diagnostics.</summary>
    public static (Script<object>? Script, ScriptOutcome? Failure, IReadOnlyList<string> Warnings) Compile(string path, string? source = null)
    {
        source ??= ReadSource(path);
        // A shebang line is for the shell, not for C#.
        if (source.StartsWith("#!", StringComparison.Ordinal))
        {
            source = "//" + source[2..];
        }
        var script = CSharpScript.Create(source, OptionsFor(path), typeof(ScriptGlobals));
        var diagnostics = script.Compile();
        // CS8632 ("annotation … outside a #nullable context") would fire on every `string?` a user
        // writes: script options offer no nullable switch, and the annotation is harmless.
        var warnings = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Id != "CS8632")
            .Select(d => ScriptOutcome.Format(d, path))
            .ToList();
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return errors.Count > 0
            ? (null, new ScriptOutcome.CompileFailed(errors.Select(d => ScriptOutcome.Format(d, path)).ToList()) { Warnings = warnings }, warnings)
            : (script, null, warnings);
    }

    /// <summary>Compiles and runs a script file with the given globals, under the given cancellation.</summary>
    public static async Task<ScriptOutcome> RunAsync(string path, ScriptGlobals globals, CancellationToken ct = default)
    {
        var (script, failure, warnings) = Compile(path);
        return failure ?? await RunAsync(path, script!, warnings, globals, ct).ConfigureAwait(false);
    }

    /// <summary>Runs a script that <see cref="Compile"/> already compiled (Roslyn then does not compile it again).</summary>
    public static async Task<ScriptOutcome> RunAsync(string path, Script<object> script, IReadOnlyList<string> warnings, ScriptGlobals globals, CancellationToken ct = default)
    {
        using var ambient = Ambient.Use(ct);
        try
        {
            var state = await script.RunAsync(globals, _ => true, ct).ConfigureAwait(false);
            if (state.Exception is { } thrown)
            {
                return Classify(thrown, path, ct) with { Warnings = warnings };
            }
            return new ScriptOutcome.Completed(state.ReturnValue) { Warnings = warnings };
        }
        catch (Exception e)
        {
            return Classify(e, path, ct) with { Warnings = warnings };
        }
    }

    private static ScriptOutcome Classify(Exception e, string path, CancellationToken ct)
    {
        if (e is OperationCanceledException && ct.IsCancellationRequested)
        {
            return new ScriptOutcome.Cancelled();
        }
        var inner = Unwrap(e);
        return new ScriptOutcome.Failed(inner, ScriptLine(inner, path));
    }

    internal static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } i } => Unwrap(i),
        _ => e,
    };

    /// <summary>The innermost frame of the script file itself, as <c>file:line</c>.</summary>
    private static string? ScriptLine(Exception e, string path)
    {
        var full = Path.GetFullPath(path);
        for (var x = e; x is not null; x = x.InnerException)
        {
            var frame = new StackTrace(x, fNeedFileInfo: true).GetFrames()
                .FirstOrDefault(f => f.GetFileName() is { } file && Path.GetFullPath(file) == full && f.GetFileLineNumber() > 0);
            if (frame is not null)
            {
                return $"{path}:{frame.GetFileLineNumber()}";
            }
        }
        return null;
    }
}
