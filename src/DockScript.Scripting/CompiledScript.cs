using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace DockScript.Scripting;

/// <summary>
/// A script compiled to an assembly (fresh or from the cache), ready to run: its entry point is
/// the submission factory Roslyn emits for a script, <c>Task&lt;object&gt; &lt;Factory&gt;(object[] submissions)</c>,
/// whose array holds the globals at index 0 and the submission's own state at index 1.
/// </summary>
internal sealed class CompiledScript
{
    private readonly Func<object?[], Task<object?>> factory;

    internal CompiledScript(ScriptSources sources, CacheEntry entry)
    {
        Sources = sources;
        Warnings = entry.Manifest.Warnings;
        var context = new ScriptLoadContext(entry.Manifest.References, sources.Packages);
        using var pe = new MemoryStream(entry.Assembly, writable: false);
        using var pdb = new MemoryStream(entry.Symbols, writable: false);
        var assembly = context.LoadFromStream(pe, pdb);
        var method = assembly.GetType(entry.Manifest.EntryType, throwOnError: true)!
            .GetMethod(entry.Manifest.EntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new BadImageFormatException($"The compiled script has no {entry.Manifest.EntryMethod}.");
        factory = method.CreateDelegate<Func<object?[], Task<object?>>>();
    }

    /// <summary>The sources it was compiled from.</summary>
    public ScriptSources Sources { get; }

    /// <summary>Compiler and analyzer warnings, formatted <c>file:line:col: warning ID: message</c>.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Runs the script with <paramref name="globals"/>; <paramref name="ct"/> is the ambient cancellation of every DSL call.</summary>
    public async Task<ScriptOutcome> RunAsync(ScriptGlobals globals, CancellationToken ct = default)
    {
        using var ambient = Ambient.Use(ct);
        try
        {
            var value = await factory([globals, null]).ConfigureAwait(false);
            return new ScriptOutcome.Completed(value) { Warnings = Warnings };
        }
        catch (Exception e)
        {
            return Classify(e, Sources, ct) with { Warnings = Warnings };
        }
    }

    /// <summary>What an exception out of a script means: a cancellation the user asked for, or a failure at a script line.</summary>
    internal static ScriptOutcome Classify(Exception e, ScriptSources sources, CancellationToken ct)
    {
        var inner = Unwrap(e);
        if (inner is OperationCanceledException && ct.IsCancellationRequested)
        {
            return new ScriptOutcome.Cancelled();
        }
        return new ScriptOutcome.Failed(inner, ScriptLine(inner, sources));
    }

    /// <summary>The exception the script threw, without the wrappers that reflection and tasks put around it.</summary>
    internal static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } i } => Unwrap(i),
        _ => e,
    };

    /// <summary>The innermost frame in one of the script's own files (main or loaded), as <c>file:line</c>.</summary>
    private static string? ScriptLine(Exception e, ScriptSources sources)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            var frame = new StackTrace(x, fNeedFileInfo: true).GetFrames()
                .FirstOrDefault(f => f.GetFileName() is { } file && sources.Contains(Path.GetFullPath(file)) && f.GetFileLineNumber() > 0);
            if (frame is not null)
            {
                return $"{sources.Display(Path.GetFullPath(frame.GetFileName()!))}:{frame.GetFileLineNumber()}";
            }
        }
        return null;
    }

    /// <summary>
    /// Loads the script beside DockScript: whatever the host has loaded (DockScript, Docker.DotNet,
    /// the framework) comes from the default context, so the script and the host share types;
    /// only <c>#r</c> assemblies the host lacks are loaded from their paths, and NuGet packages'
    /// assemblies and native libraries from the global packages folder, as picked for this machine.
    /// </summary>
    private sealed class ScriptLoadContext(IReadOnlyList<string> references, Packages.PackageSet packages) : AssemblyLoadContext("dockscript-script")
    {
        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            packages.NativeLibrary(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

        protected override Assembly? Load(AssemblyName name)
        {
            if (packages.RuntimeAssembly(name) is { } package)
            {
                return LoadFromAssemblyPath(package); // The package's own copy, even of one DockScript happens to ship.
            }
            var path = references.FirstOrDefault(r => string.Equals(Path.GetFileNameWithoutExtension(r), name.Name, StringComparison.OrdinalIgnoreCase));
            if (path is null)
            {
                return null; // The default context: DockScript, Docker.DotNet, the framework.
            }
            try
            {
                // A #r of an assembly DockScript itself ships (loaded yet or not) gets DockScript's copy,
                // so that script and host never hold two copies of one type.
                return Default.LoadFromAssemblyName(name);
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException)
            {
                return LoadFromAssemblyPath(path);
            }
        }
    }
}

/// <summary>Where a script's run stands at its start: what compiling (or the cache) gave.</summary>
/// <param name="Script">The script to run; null when it has errors.</param>
/// <param name="Errors">Errors, formatted <c>file:line:col: error ID: message</c>; the script does not run when there are any.</param>
/// <param name="Warnings">Warnings, formatted the same way.</param>
/// <param name="Cache">Whether the cache was used: <c>hit</c>, <c>miss</c> or <c>off</c>.</param>
/// <param name="Key">The cache key (computed even with the cache off).</param>
/// <param name="Elapsed">Time spent compiling, analysing and emitting, or loading from the cache.</param>
internal sealed record Preparation(CompiledScript? Script, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string Cache, string Key, TimeSpan Elapsed);

