using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Packages;

/// <summary>One restored package and the files of it that this machine uses.</summary>
/// <param name="Id">The package id as the package spells it.</param>
/// <param name="Version">Its normalized version.</param>
/// <param name="Compile">Assemblies the script compiles against.</param>
/// <param name="Runtime">Assemblies loaded when the script runs (a <c>runtimes/&lt;rid&gt;/lib</c> one wins over <c>lib</c>).</param>
/// <param name="Native">Native libraries for this machine (<c>runtimes/&lt;rid&gt;/native</c>).</param>
/// <param name="Analyzers">C# analyzers the package ships (<c>analyzers/dotnet[/cs]</c>).</param>
internal sealed record RestoredPackage(
    string Id, string Version, IReadOnlyList<string> Compile, IReadOnlyList<string> Runtime, IReadOnlyList<string> Native, IReadOnlyList<string> Analyzers);

/// <summary>
/// The packages a script (or a REPL session) uses, dependencies included, each with its files in
/// the global packages folder. It is what the compiler references, what the script's load context
/// resolves, and part of the compiled-script cache key.
/// </summary>
internal sealed class PackageSet
{
    private readonly Lazy<IReadOnlyList<PortableExecutableReference>> references;
    private readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> analyzers;

    public PackageSet(IReadOnlyList<RestoredPackage> packages)
    {
        Packages = packages;
        references = new(() => Packages.SelectMany(p => p.Compile).Distinct().Select(p => MetadataReference.CreateFromFile(p)).ToList());
        analyzers = new(LoadAnalyzers);
    }

    /// <summary>No packages.</summary>
    public static PackageSet Empty { get; } = new([]);

    /// <summary>Every package, dependencies included, in a stable order.</summary>
    public IReadOnlyList<RestoredPackage> Packages { get; }

    /// <summary>Where the set came from this time (<c>remembered</c>, <c>global packages folder</c> or <c>sources</c>) and how long that took, for <c>--debug</c>.</summary>
    public (string Origin, TimeSpan Elapsed) Restore { get; init; }

    /// <summary>True when the set holds no package.</summary>
    public bool IsEmpty => Packages.Count == 0;

    /// <summary>What the compiler references for every <c>#r "nuget: …"</c>.</summary>
    public IReadOnlyList<PortableExecutableReference> References => references.Value;

    /// <summary>The C# analyzers the packages ship, run like DockScript's own.</summary>
    public ImmutableArray<DiagnosticAnalyzer> Analyzers => analyzers.Value;

    /// <summary>The set as <c>Id Version</c> pairs, for messages and <c>--debug</c>.</summary>
    public override string ToString() => string.Join(", ", Packages.Select(p => $"{p.Id} {p.Version}"));

    /// <summary>True when every file the set names is still on disk (the global packages folder can be cleared).</summary>
    public bool IsOnDisk() => Packages.All(p => p.Compile.Concat(p.Runtime).Concat(p.Native).Concat(p.Analyzers).All(File.Exists));

    /// <summary>Adds the set to a cache key: a different package or version is a different compiled script.</summary>
    public void AddTo(IncrementalHash hash)
    {
        foreach (var p in Packages)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"nuget:{p.Id}/{p.Version}"));
            hash.AppendData([0]);
        }
    }

    /// <summary>The package assembly the runtime should load for <paramref name="name"/>, or null.</summary>
    public string? RuntimeAssembly(AssemblyName name) =>
        Packages.SelectMany(p => p.Runtime)
            .FirstOrDefault(path => string.Equals(Path.GetFileNameWithoutExtension(path), name.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The native library a <c>DllImport("name")</c> means: <c>name</c>, <c>libname.so</c>,
    /// <c>name.so</c> and <c>libname</c> are tried, as the runtime probes them.
    /// </summary>
    public string? NativeLibrary(string name)
    {
        var candidates = new[] { name, $"lib{name}.so", $"{name}.so", $"lib{name}", $"lib{name}.dylib", $"{name}.dll" };
        return Packages.SelectMany(p => p.Native)
            .FirstOrDefault(path => candidates.Contains(Path.GetFileName(path), StringComparer.Ordinal));
    }

    private ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers()
    {
        var loader = new AnalyzerLoader();
        return [.. Packages.SelectMany(p => p.Analyzers).Select(path => new AnalyzerFileReference(path, loader))
            .SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp))];
    }

    /// <summary>Loads analyzer assemblies (and what they need from the same folder) beside DockScript's Roslyn.</summary>
    private sealed class AnalyzerLoader : IAnalyzerAssemblyLoader
    {
        // Dependencies are loaded by path when the analyzer asks for them; nothing to record.
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) =>
            System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}

/// <summary>The JSON of a remembered restore (see <see cref="PackageRestore"/>).</summary>
[JsonSerializable(typeof(List<RestoredPackage>))]
internal sealed partial class PackageJson : JsonSerializerContext;
