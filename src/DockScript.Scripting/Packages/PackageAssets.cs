using System.Runtime.InteropServices;
using RuntimeEnvironment = System.Runtime.InteropServices.RuntimeEnvironment;
using NuGet.Client;
using NuGet.ContentModel;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.RuntimeModel;

namespace DockScript.Scripting.Packages;

/// <summary>
/// Picks a restored package's files for this framework and this machine with NuGet's own asset
/// conventions (<c>ref/</c> or <c>lib/</c> to compile, <c>runtimes/&lt;rid&gt;/lib</c> over
/// <c>lib/</c> to run, <c>runtimes/&lt;rid&gt;/native</c>), as <c>dotnet restore</c> writes them
/// into a project's assets file.
/// </summary>
internal sealed class PackageAssets(string globalFolder, NuGetFramework framework)
{
    /// <summary>
    /// Assemblies a script always gets from the host, whatever a package brings: the shared
    /// framework (an old System.Text.Json a netstandard package asks for; the SDK's conflict
    /// resolution makes the same choice) and DockScript's own, whose types scripts share with it.
    /// Other assemblies DockScript happens to ship (Roslyn's Humanizer) are the package's business.
    /// </summary>
    private static readonly Lazy<HashSet<string>> hostAssemblies = new(() =>
    {
        var runtime = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        return ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetDirectoryName(p) == runtime)
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Concat(new[] { typeof(Lab), typeof(ScriptGlobals), typeof(Docker.DotNet.DockerClient) }.Select(t => t.Assembly.GetName().Name!))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    });

    /// <summary>True when scripts get <paramref name="name"/> from the host even if a package has it.</summary>
    public static bool IsHostShared(string? name) => name is not null && hostAssemblies.Value.Contains(name);

    private readonly VersionFolderPathResolver paths = new(globalFolder);
    private readonly ManagedCodeConventions conventions = new(RuntimeGraphFor(RuntimeInformation.RuntimeIdentifier));

    /// <summary>The files of one package that this machine uses.</summary>
    public RestoredPackage For(PackageIdentity identity)
    {
        var folder = paths.GetInstallPath(identity.Id, identity.Version);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();
        var content = new ContentItemCollection();
        content.Load(files);
        var criteria = conventions.Criteria.ForFrameworkAndRuntime(framework, RuntimeInformation.RuntimeIdentifier);
        var compile = Assemblies(content.FindBestItemGroup(criteria, conventions.Patterns.CompileRefAssemblies)
            ?? content.FindBestItemGroup(criteria, conventions.Patterns.CompileLibAssemblies), folder)
            .Where(p => !IsHostShared(Path.GetFileNameWithoutExtension(p)))
            .ToList();
        var runtime = Assemblies(content.FindBestItemGroup(criteria, conventions.Patterns.RuntimeAssemblies), folder)
            .Where(p => !IsHostShared(Path.GetFileNameWithoutExtension(p)))
            .ToList();
        var native = Files(content.FindBestItemGroup(criteria, conventions.Patterns.NativeLibraries), folder);
        var analyzers = files
            .Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                && (Path.GetDirectoryName(f)?.Replace('\\', '/') is "analyzers/dotnet/cs" or "analyzers/dotnet"))
            .Select(f => Path.Combine(folder, f))
            .ToList();
        return new RestoredPackage(identity.Id, identity.Version.ToNormalizedString(), compile, runtime, native, analyzers);
    }

    private static List<string> Assemblies(ContentItemGroup? group, string folder) =>
        Files(group, folder).Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();

    // "_._" marks an empty folder that still counts as supporting the framework.
    private static List<string> Files(ContentItemGroup? group, string folder) =>
        group is null ? [] : group.Items.Where(i => !i.Path.EndsWith("/_._", StringComparison.Ordinal))
            .Select(i => Path.GetFullPath(Path.Combine(folder, i.Path))).ToList();

    /// <summary>
    /// The runtime identifiers this machine accepts, most specific first (<c>linux-x64</c>, then
    /// <c>linux</c>, <c>unix-x64</c>, <c>unix</c>, <c>any</c>): the portable part of the graph the SDK
    /// ships, which the runtime itself does not carry.
    /// </summary>
    internal static RuntimeGraph RuntimeGraphFor(string rid)
    {
        var dash = rid.LastIndexOf('-');
        var (os, arch) = dash > 0 ? (rid[..dash], rid[(dash + 1)..]) : (rid, "");
        var unix = os is not "win";
        var descriptions = new List<RuntimeDescription> { new("any", ["base"]), new("base") };
        if (unix)
        {
            descriptions.Add(new("unix", ["any"]));
            descriptions.Add(new(os, ["unix"]));
            if (arch.Length > 0)
            {
                descriptions.Add(new($"unix-{arch}", ["unix"]));
                descriptions.Add(new(rid, [os, $"unix-{arch}"]));
            }
        }
        else
        {
            descriptions.Add(new(os, ["any"]));
            if (arch.Length > 0)
            {
                descriptions.Add(new(rid, [os]));
            }
        }
        return new RuntimeGraph(descriptions.DistinctBy(d => d.RuntimeIdentifier));
    }
}
