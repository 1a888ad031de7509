using System.Reflection;
using DockScript.Scripting.Repl;
using Microsoft.CodeAnalysis.Host.Mef;

namespace DockScript.Tests.Repl;

public class MefPartsTests
{
    /// <summary>What reflection says: the types with an <c>Export…</c> attribute on themselves or a property.</summary>
    private static HashSet<string> ExportingTypesByReflection(Assembly assembly) =>
        MefParts.AllTypes(assembly)
            .Where(t => Exports(t.CustomAttributes) || t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Any(p => Exports(p.CustomAttributes)))
            .Select(t => t.FullName!)
            .ToHashSet();

    private static bool Exports(IEnumerable<CustomAttributeData> attributes) =>
        attributes.Any(a => a.AttributeType.Name.StartsWith("Export", StringComparison.Ordinal));

    [Fact]
    public void The_metadata_finds_exactly_the_parts_reflection_finds_in_each_editor_assembly()
    {
        var total = 0;
        foreach (var assembly in MefHostServices.DefaultAssemblies)
        {
            var names = MefParts.Names(assembly);
            Assert.NotNull(names);
            Assert.Equal(ExportingTypesByReflection(assembly).Order(), names.Order());
            Assert.All(MefParts.Of(assembly), t => Assert.Contains(t.FullName!, names));
            total += names.Count;
        }
        // Roslyn's editor assemblies hold hundreds of parts among thousands of types.
        Assert.InRange(total, 300, 5000);
        Assert.True(MefHostServices.DefaultAssemblies.Sum(a => MefParts.AllTypes(a).Count) > 5 * total);
    }

    [Fact]
    public void The_editor_composed_from_the_parts_completes_and_leaves_out_import_completion()
    {
        var services = EditorHost.Services;
        Assert.NotNull(services);
        var parts = MefHostServices.DefaultAssemblies.SelectMany(MefParts.Of).ToList();
        Assert.Contains(parts, t => t.Name == "TypeImportCompletionProvider");
        Assert.DoesNotContain(parts.Where(t => !EditorHost.Excluded(t)), t => t.Name.EndsWith("ImportCompletionProvider", StringComparison.Ordinal) && t.Namespace!.EndsWith(".Completion.Providers", StringComparison.Ordinal));
    }
}
