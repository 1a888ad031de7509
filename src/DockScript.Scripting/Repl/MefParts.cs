using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DockScript.Scripting.Repl;

/// <summary>
/// The MEF parts of an assembly, found by reading its metadata: the types that carry an
/// <c>Export…</c> attribute, on the type or on one of its properties. Only those are loaded.
/// Roslyn's editor assemblies define about 11,000 types, of which about 600 are parts; asking
/// reflection for every type (what <c>WithAssemblies</c> does) loads them all into the runtime.
/// </summary>
internal static class MefParts
{
    /// <summary>The parts of <paramref name="assembly"/>; every type it defines when its file cannot be read.</summary>
    public static IReadOnlyList<Type> Of(Assembly assembly)
    {
        if (Names(assembly) is not { } names)
        {
            return AllTypes(assembly);
        }
        var parts = new List<Type>(names.Count);
        foreach (var name in names)
        {
            if (assembly.GetType(name, throwOnError: false) is { } type)
            {
                parts.Add(type);
            }
        }
        return parts;
    }

    /// <summary>The reflection names (<c>Outer+Inner</c>) of the exporting types, or null when the metadata cannot be read.</summary>
    internal static List<string>? Names(Assembly assembly)
    {
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(assembly.Location))
        {
            return null;
        }
        try
        {
            using var pe = new PEReader(File.OpenRead(assembly.Location));
            var md = pe.GetMetadataReader();
            var names = new List<string>();
            foreach (var handle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(handle);
                if (Exports(md, type.GetCustomAttributes())
                    || type.GetProperties().Any(p => Exports(md, md.GetPropertyDefinition(p).GetCustomAttributes())))
                {
                    names.Add(FullName(md, type));
                }
            }
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Every type the assembly defines (what MEF would scan), less those that cannot load.</summary>
    internal static IReadOnlyList<Type> AllTypes(Assembly assembly)
    {
        try
        {
            return assembly.DefinedTypes.Select(t => t.AsType()).ToList();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().ToList();
        }
    }

    private static bool Exports(MetadataReader md, CustomAttributeHandleCollection attributes)
    {
        foreach (var handle in attributes)
        {
            if (AttributeName(md, md.GetCustomAttribute(handle)).StartsWith("Export", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static string AttributeName(MetadataReader md, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MethodDefinition:
                var method = md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                return md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name);
            case HandleKind.MemberReference:
                var parent = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                return parent.Kind == HandleKind.TypeReference ? md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name) : "";
            default:
                return "";
        }
    }

    private static string FullName(MetadataReader md, TypeDefinition type)
    {
        var name = md.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(md, md.GetTypeDefinition(declaring)) + "+" + name;
        }
        var space = md.GetString(type.Namespace);
        return space.Length == 0 ? name : space + "." + name;
    }
}
