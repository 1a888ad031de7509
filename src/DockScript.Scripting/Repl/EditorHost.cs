using System.Composition.Hosting;
using Microsoft.CodeAnalysis.Host;
using Microsoft.CodeAnalysis.Host.Mef;

namespace DockScript.Scripting.Repl;

/// <summary>
/// The Roslyn services behind the REPL's editor: Roslyn's own, less completion of types and
/// extension members from namespaces that are not imported. Those items offered the engine
/// library's types (<c>NetworkResponse</c> beside <c>Networks</c>) to scripts that must not use
/// them, and Roslyn caches every referenced assembly's types to offer them, which held tens of
/// megabytes for as long as the REPL ran (docs/BENCHMARKS.md, "REPL"). The public completion API
/// has no option for it, so the two providers are left out of the composition instead.
/// </summary>
internal static class EditorHost
{
    private static readonly Lazy<HostServices> Lazy = new(Create);

    /// <summary>The composed services, shared by every <see cref="SubmissionWorkspace"/>.</summary>
    public static HostServices Services => Lazy.Value;

    /// <summary>True for a part the editor leaves out: the import completion providers.</summary>
    internal static bool Excluded(Type part) =>
        part.Name.EndsWith("ImportCompletionProvider", StringComparison.Ordinal)
        && part.Namespace?.EndsWith(".Completion.Providers", StringComparison.Ordinal) == true;

    private static MefHostServices Create()
    {
        // Only the parts are loaded (MefParts): composing from every type of Roslyn's editor
        // assemblies loaded some 11,000 types to find about 600.
        var parts = MefHostServices.DefaultAssemblies
            .SelectMany(MefParts.Of)
            .Where(t => !Excluded(t));
        return MefHostServices.Create(new ContainerConfiguration().WithParts(parts).CreateContainer());
    }
}
