using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace DockScript.Scripting.Packages;

/// <summary>
/// The packages of one REPL session: a submission's <c>#r "nuget: …"</c> is restored before it
/// compiles (together with the session's earlier requests, so versions agree), its assemblies join
/// the references of the submissions that follow, and the assemblies this machine runs
/// (<c>runtimes/&lt;rid&gt;/lib</c> over <c>lib</c>, never a <c>ref/</c> one) are handed to the
/// session's assembly loader, with their native libraries resolved from the package.
/// </summary>
internal sealed class ReplPackages(PackageRestore restore, string directory)
{
    private readonly List<PackageRequest> requests = [];
    private readonly HashSet<string> loaded = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What submissions load their assemblies through; Roslyn would load a package's compile assembly instead.</summary>
    public InteractiveAssemblyLoader Loader { get; } = new();

    /// <summary>Every package of the session so far.</summary>
    public PackageSet Set { get; private set; } = PackageSet.Empty;

    /// <summary>
    /// Restores what <paramref name="code"/> asks for. Returns the options for it and the
    /// submissions after it, or the problems (as <c>(line,col): error DS0102: …</c>) that stop it.
    /// </summary>
    public async Task<(ScriptOptions Options, IReadOnlyList<string> Problems)> AddAsync(string code, ScriptOptions options, Action<string>? progress, CancellationToken ct)
    {
        var problems = new List<string>();
        var asked = new List<PackageRequest>();
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script), cancellationToken: ct).GetCompilationUnitRoot(ct);
        foreach (var directive in root.GetReferenceDirectives().Where(d => PackageRequest.IsPackage(d.File.ValueText)))
        {
            var at = directive.GetLocation().GetLineSpan().StartLinePosition;
            var where = $"({at.Line + 1},{at.Character + 1})";
            if (PackageRequest.Parse(directive.File.ValueText, where, out var problem) is { } request)
            {
                asked.Add(request);
            }
            else
            {
                problems.Add($"{where}: error DS0102: {problem}");
            }
        }
        if (asked.Count == 0 || problems.Count > 0)
        {
            return (options, problems);
        }
        var set = await restore.RestoreAsync([.. requests, .. asked], directory, problems, progress, ct).ConfigureAwait(false);
        foreach (var changed in set.Packages.Where(p => Set.Packages.Any(o => o.Id == p.Id && o.Version != p.Version)))
        {
            var old = Set.Packages.First(o => o.Id == changed.Id);
            problems.Add($"{asked[0].Where}: error DS0102: {old.Id} {old.Version} is already loaded in this session and cannot become {changed.Version}; ask for {old.Version}, or start a new REPL for {changed.Version}.");
        }
        if (problems.Count > 0)
        {
            return (options, problems);
        }
        requests.AddRange(asked);
        var added = set.Packages.Where(p => !Set.Packages.Any(o => o.Id == p.Id && o.Version == p.Version)).ToList();
        Set = set;
        foreach (var package in added)
        {
            Load(package);
        }
        return (options.AddReferences(added.SelectMany(p => p.Compile).Select(p => MetadataReference.CreateFromFile(p))), []);
    }

    private void Load(RestoredPackage package)
    {
        foreach (var path in package.Runtime.Where(p => loaded.Add(Path.GetFileNameWithoutExtension(p))))
        {
            try
            {
                var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
                NativeLibrary.SetDllImportResolver(assembly, ResolveNative);
                Loader.RegisterDependency(assembly);
            }
            catch (Exception e) when (e is FileLoadException or BadImageFormatException or InvalidOperationException)
            {
                // The host already has this assembly (a framework or DockScript one): its copy serves.
            }
        }
    }

    private IntPtr ResolveNative(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        Set.NativeLibrary(name) is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;
}
