using System.Reflection;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;

namespace DockScript.Scripting.Repl;

/// <summary>
/// The assemblies REPL submissions compile against, shared by the evaluator and the editor's
/// workspace. Each is opened once and memory-mapped rather than copied onto the native heap
/// (what <see cref="MetadataReference.CreateFromFile(string, MetadataReferenceProperties, DocumentationProvider?)"/> does):
/// the framework's ReadyToRun images are mostly native code the compiler never reads, and
/// copying them cost the REPL about a hundred megabytes.
/// </summary>
public static class ReplReferences
{
    /// <summary>The framework assemblies a default C# script sees, and a few a network experiment reaches for.</summary>
    private static readonly string[] Framework =
    [
        "System.Private.CoreLib", "netstandard", "System.Runtime", "System.Collections", "System.Collections.Concurrent", "System.Console",
        "System.Diagnostics.Debug", "System.Diagnostics.Process", "System.Diagnostics.StackTrace", "System.Globalization", "System.IO",
        "System.IO.FileSystem", "System.IO.FileSystem.Primitives", "System.Reflection", "System.Reflection.Extensions",
        "System.Reflection.Primitives", "System.Runtime.Extensions", "System.Runtime.InteropServices", "System.Text.Encoding",
        "System.Text.Encoding.CodePages", "System.Text.Encoding.Extensions", "System.Text.RegularExpressions", "System.Threading",
        "System.Threading.Tasks", "System.Threading.Tasks.Parallel", "System.Threading.Thread", "System.ValueTuple",
        "System.Linq", "System.Linq.Expressions", "System.ObjectModel", "System.Memory", "System.Net.Primitives", "System.Net.Http",
        "System.Private.Uri", "System.ComponentModel.Primitives", "System.Text.Json", "System.Formats.Tar",
        // XML types are forwarded to private assemblies that a stream-opened reference cannot find on its own.
        "System.Xml", "System.Xml.Linq", "System.Xml.ReaderWriter", "System.Private.Xml", "System.Private.Xml.Linq",
    ];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> all = new(Load);

    /// <summary>Every reference, loaded on first use.</summary>
    public static IReadOnlyList<MetadataReference> All => all.Value;

    private static List<MetadataReference> Load()
    {
        var trusted = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var own = new[] { typeof(Lab).Assembly, typeof(ScriptGlobals).Assembly, typeof(Docker.DotNet.DockerClient).Assembly };
        // What DockScript's own assemblies reference is needed to bind calls into them.
        var names = new List<string>(Framework);
        names.AddRange(own.SelectMany(a => a.GetReferencedAssemblies()).Select(n => n.Name!).Where(n => n is not null));
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (!paths.ContainsKey(name) && (trusted.TryGetValue(name, out var path) || TryLocal(name, out path)))
            {
                paths[name] = path;
            }
        }
        foreach (var assembly in own)
        {
            var path = string.IsNullOrEmpty(assembly.Location) ? Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".dll") : assembly.Location;
            paths[assembly.GetName().Name!] = path;
        }
        var list = new List<MetadataReference>();
        foreach (var path in paths.Values.Where(File.Exists).Distinct())
        {
            try
            {
                list.Add(Open(path));
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
            {
                // A reference that cannot be read only narrows what completes and compiles.
            }
        }
        return list;
    }

    private static bool TryLocal(string name, out string path)
    {
        path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        return File.Exists(path);
    }

    private static PortableExecutableReference Open(string path)
    {
        // The metadata owns the stream; PEReader maps large blocks of a FileStream instead of reading them.
        var metadata = AssemblyMetadata.CreateFromStream(File.OpenRead(path), PEStreamOptions.Default);
        var xml = Path.ChangeExtension(path, ".xml");
        return metadata.GetReference(
            documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null,
            filePath: path,
            display: Path.GetFileName(path));
    }
}
