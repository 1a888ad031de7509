using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DockScript.Scripting.Packages;

/// <summary>
/// Roslyn's <c>#r</c> resolver with NuGet in front: <c>#r "nuget: …"</c> means the restored
/// packages' compile assemblies (restored before compiling, so Roslyn only looks them up), any
/// other <c>#r</c> goes to the usual file resolver.
/// </summary>
internal sealed class PackageReferenceResolver(MetadataReferenceResolver files, PackageSet packages) : MetadataReferenceResolver
{
    public PackageSet Packages { get; } = packages;

    private MetadataReferenceResolver Files { get; } = files;

    public override bool Equals(object? other) =>
        other is PackageReferenceResolver o && o.Files.Equals(Files) && ReferenceEquals(o.Packages, Packages);

    public override int GetHashCode() => HashCode.Combine(Files, Packages);

    public override bool ResolveMissingAssemblies => Files.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        Files.ResolveMissingAssembly(definition, referenceIdentity);

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        !PackageRequest.IsPackage(reference) ? Files.ResolveReference(reference, baseFilePath, properties)
        : Packages.References.Count > 0 ? [.. Packages.References]
        // Packages with nothing to compile against (analyzers only): Roslyn takes an empty answer
        // for a missing file (CS0006), so the answer is an assembly every script references anyway.
        : [Host.Value];

    private static readonly Lazy<PortableExecutableReference> Host =
        new(() => MetadataReference.CreateFromFile(typeof(ScriptGlobals).Assembly.Location));
}
