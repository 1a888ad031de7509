using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using DockScript.Scripting.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;

namespace DockScript.Scripting;

/// <summary>
/// Compiles <c>.csx</c> files that <see cref="ScriptSources"/> read, with Roslyn against
/// <see cref="ScriptGlobals"/>: the DockScript namespace imported, DockScript's analyzers,
/// <c>#load</c> and <c>#r</c>, and a cache of compiled scripts. What it prepares,
/// <see cref="CompiledScript"/> runs.
/// </summary>
internal static class ScriptHost
{
    /// <summary>
    /// The namespaces every script imports: the BCL's everyday ones and the DSL's. Not
    /// <c>DockScript.Scripting</c>: the globals are in scope as members, and nothing else there is
    /// for scripts (tests/DockScript.Tests/ScriptSurface.approved.txt lists what scripts see).
    /// </summary>
    public static IReadOnlyList<string> Imports { get; } =
    [
        "System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading", "System.Threading.Tasks",
        "DockScript",
    ];

    /// <summary>Script options for a file: imports, references, file path and debug information for line numbers.</summary>
    private static ScriptOptions OptionsFor(string path)
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

    private static ScriptOptions OptionsFor(ScriptSources sources) =>
        OptionsFor(sources.FullPath).WithSourceResolver(sources.Resolver)
            .WithMetadataResolver(new Packages.PackageReferenceResolver(ScriptMetadataResolver.Default.WithBaseDirectory(Path.GetDirectoryName(sources.FullPath))))
            .AddReferences(sources.Packages.References);

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
            .WithMetadataResolver(new Packages.PackageReferenceResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory)));
    }

    /// <summary>
    /// Compiles and analyses a script without running it or touching Docker: every diagnostic, errors
    /// and warnings, formatted <c>file:line:col: severity ID: message</c>, in file and line order.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)> CheckAsync(ScriptSources sources, CancellationToken ct = default)
    {
        if (sources.Problems.Count > 0)
        {
            return (sources.Problems, []);
        }
        var (errors, warnings, _) = await AnalyzeAsync(sources, ct).ConfigureAwait(false);
        return (errors, warnings);
    }

    /// <summary>
    /// Makes a script ready to run: loads it from <paramref name="cache"/> when an entry for exactly
    /// these sources exists, otherwise compiles and analyses it, emits it and stores it.
    /// </summary>
    /// <param name="sources">The script.</param>
    /// <param name="cache">The cache, or null to compile every time (<c>--no-cache</c>).</param>
    /// <param name="ct">Cancels compilation.</param>
    public static async Task<Preparation> PrepareAsync(ScriptSources sources, ScriptCache? cache, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var key = ScriptCache.KeyFor(sources);
        if (sources.Problems.Count > 0)
        {
            return new Preparation(null, sources.Problems, [], cache is null ? "off" : "miss", key, Stopwatch.GetElapsedTime(started));
        }
        if (cache?.TryRead(key) is { } cached)
        {
            try
            {
                var script = new CompiledScript(sources, cached);
                return new Preparation(script, [], script.Warnings, "hit", key, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception e) when (e is BadImageFormatException or TypeLoadException or FileLoadException or ArgumentException or MissingMethodException)
            {
                // A damaged entry: compile again and overwrite it.
            }
        }
        var (errors, warnings, compilation) = await AnalyzeAsync(sources, ct).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return new Preparation(null, errors, warnings, cache is null ? "off" : "miss", key, Stopwatch.GetElapsedTime(started));
        }
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb), cancellationToken: ct);
        if (!emitted.Success)
        {
            var emitErrors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => Format(d, sources)).ToList();
            return new Preparation(null, emitErrors, warnings, cache is null ? "off" : "miss", key, Stopwatch.GetElapsedTime(started));
        }
        var entryPoint = compilation.GetEntryPoint(ct)
            ?? throw new InvalidOperationException("Roslyn emitted a script without an entry point.");
        var entry = new CacheEntry(pe.ToArray(), pdb.ToArray(),
            new CacheManifest(entryPoint.ContainingType.MetadataName, entryPoint.MetadataName, warnings, sources.References));
        cache?.TryWrite(key, entry);
        return new Preparation(new CompiledScript(sources, entry), [], warnings, cache is null ? "off" : "miss", key, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, Compilation Compilation)> AnalyzeAsync(ScriptSources sources, CancellationToken ct)
    {
        var script = CSharpScript.Create(sources.Files[0].Text, OptionsFor(sources), typeof(ScriptGlobals));
        var compilation = script.GetCompilation();
        var diagnostics = await compilation.WithAnalyzers(DockScriptAnalyzers.All.AddRange(sources.Packages.Analyzers), options: null)
            .GetAllDiagnosticsAsync(ct).ConfigureAwait(false);
        var (errors, warnings) = Split(diagnostics, sources);
        return (errors, warnings, compilation);
    }

    private static (IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Split(ImmutableArray<Diagnostic> diagnostics, ScriptSources sources)
    {
        var ordered = diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            // CS8632 ("annotation … outside a #nullable context") would fire on every `string?` a user
            // writes: script options offer no nullable switch, and the annotation is harmless.
            .Where(d => d.Id != "CS8632")
            .OrderBy(d => FileOrder(d, sources)).ThenBy(d => d.Location.SourceSpan.Start)
            .ToList();
        return (ordered.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => Format(d, sources)).ToList(),
                ordered.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => Format(d, sources)).ToList());
    }

    private static int FileOrder(Diagnostic d, ScriptSources sources)
    {
        var path = d.Location.SourceTree?.FilePath;
        for (var i = 0; i < sources.Files.Count; i++)
        {
            if (sources.Files[i].FullPath == path)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Formats a diagnostic as <c>file:line:col: severity ID: message</c>, naming files as the user would.</summary>
    internal static string Format(Diagnostic d, ScriptSources sources)
    {
        var span = d.Location.GetMappedLineSpan();
        var where = span.IsValid ? $"{sources.Display(span.Path)}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: " : "";
        var severity = d.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{where}{severity} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
