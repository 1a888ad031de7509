using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DockScript.Scripting.Packages;

/// <summary>
/// Roslyn's <c>#r</c> resolver with NuGet in front. Packages are restored before compiling and
/// their assemblies added to the script's references; Roslyn then only has to accept the
/// directive, and it takes one reference per directive (more is <see cref="NotSupportedException"/>),
/// so <c>#r "nuget: …"</c> answers with an assembly every script references anyway. Any other
/// <c>#r</c> goes to the usual file resolver.
/// </summary>
internal sealed class PackageReferenceResolver(MetadataReferenceResolver files) : MetadataReferenceResolver
{
    private static readonly Lazy<PortableExecutableReference> Host =
        new(() => MetadataReference.CreateFromFile(typeof(ScriptGlobals).Assembly.Location));

    private MetadataReferenceResolver Files { get; } = files;

    public override bool Equals(object? other) => other is PackageReferenceResolver o && o.Files.Equals(Files);

    public override int GetHashCode() => Files.GetHashCode();

    public override bool ResolveMissingAssemblies => Files.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        Files.ResolveMissingAssembly(definition, referenceIdentity);

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        PackageRequest.IsPackage(reference) ? [Host.Value] : Files.ResolveReference(reference, baseFilePath, properties);
}
