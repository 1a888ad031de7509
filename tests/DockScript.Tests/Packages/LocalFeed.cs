using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace DockScript.Tests.Packages;

/// <summary>
/// A local NuGet feed of tiny packages, built once for the tests that share it (assemblies compiled
/// with Roslyn, packed with NuGet.Packaging):
/// <list type="bullet">
/// <item><c>Dsn.Words</c> 1.0.0: <c>lib/netstandard2.0</c> says "anywhere"; for this machine's RID,
/// <c>runtimes/&lt;rid&gt;/lib/net8.0</c> says the RID and <c>runtimes/&lt;rid&gt;/native/libdsnzip.so</c>
/// (the machine's zlib, renamed) answers <c>Words.Native</c>. 1.1.0 has only <c>lib</c>.</item>
/// <item><c>Dsn.Greeting</c> 1.0.0, 2.0.0 and 3.0.0-beta, each depending on <c>Dsn.Words</c> 1.0.0 or later.</item>
/// <item><c>Dsn.Rules</c> 1.0.0: only an analyzer (DSN001 on any call to a method named <c>Sleep</c>).</item>
/// </list>
/// </summary>
public sealed class LocalFeed : IDisposable
{
    private readonly TempDir root = new();

    public LocalFeed()
    {
        Directory.CreateDirectory(Folder);
        var rid = RuntimeInformation.RuntimeIdentifier;
        var wordsApi = """
            namespace Dsn;
            public static class Words
            {
                public static string Where => "{WHERE}";
                public static string Native => {NATIVE};
                {IMPORT}
            }
            """;
        string Words(string where, bool native) => wordsApi.Replace("{WHERE}", where)
            .Replace("{NATIVE}", native ? "System.Runtime.InteropServices.Marshal.PtrToStringAnsi(zlibVersion())" : "\"none\"")
            .Replace("{IMPORT}", native ? "[System.Runtime.InteropServices.DllImport(\"dsnzip\")] private static extern System.IntPtr zlibVersion();" : "");
        Pack("Dsn.Words", "1.0.0", [],
            ("lib/netstandard2.0/Dsn.Words.dll", Compile("Dsn.Words", Words("anywhere", false))),
            ($"runtimes/{rid}/lib/net8.0/Dsn.Words.dll", Compile("Dsn.Words", Words(rid, true))),
            ($"runtimes/{rid}/native/libdsnzip.so", File.ReadAllBytes(Zlib())));
        Pack("Dsn.Words", "1.1.0", [], ("lib/netstandard2.0/Dsn.Words.dll", Compile("Dsn.Words", Words("1.1", false))));
        foreach (var version in new[] { "1.0.0", "2.0.0", "3.0.0-beta" })
        {
            var words = Path.Combine(root.Path, "Dsn.Words.dll");
            File.WriteAllBytes(words, Compile("Dsn.Words", Words("anywhere", false)));
            var greeting = Compile("Dsn.Greeting",
                $$"""namespace Dsn; public static class Greeting { public static string Hello(string name) => $"hello {name} from {Words.Where}, greeting {{version}}"; }""",
                words);
            Pack("Dsn.Greeting", version, [new PackageDependency("Dsn.Words", VersionRange.Parse("1.0.0"))], ("lib/net8.0/Dsn.Greeting.dll", greeting));
        }
        Pack("Dsn.Rules", "1.0.0", [], ("analyzers/dotnet/cs/Dsn.Rules.dll", Compile("Dsn.Rules", Rule)));
    }

    /// <summary>The folder holding the .nupkg files.</summary>
    public string Folder => Path.Combine(root.Path, "feed");

    /// <summary>A nuget.config that clears every other source and names the given ones (this feed by default).</summary>
    public static string Config(params string[] sources) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
        {string.Concat(sources.Select((s, i) => $"    <add key=\"source{i}\" value=\"{s}\" />\n"))}  </packageSources>
        </configuration>
        """;

    /// <summary>A nuget.config naming this feed only.</summary>
    public string Config() => Config(Folder);

    private const string Rule = """
        using System.Collections.Immutable;
        using Microsoft.CodeAnalysis;
        using Microsoft.CodeAnalysis.CSharp;
        using Microsoft.CodeAnalysis.CSharp.Syntax;
        using Microsoft.CodeAnalysis.Diagnostics;

        [DiagnosticAnalyzer(LanguageNames.CSharp)]
        public sealed class NoSleep : DiagnosticAnalyzer
        {
            private static readonly DiagnosticDescriptor Descriptor = new("DSN001", "No sleep", "Sleep blocks the script; wait on a state instead", "Usage", DiagnosticSeverity.Warning, true);
            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);
            public override void Initialize(AnalysisContext context)
            {
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.EnableConcurrentExecution();
                context.RegisterSyntaxNodeAction(c =>
                {
                    var call = (InvocationExpressionSyntax)c.Node;
                    var name = call.Expression is MemberAccessExpressionSyntax m ? m.Name.Identifier.Text : (call.Expression as IdentifierNameSyntax)?.Identifier.Text;
                    if (name == "Sleep") c.ReportDiagnostic(Diagnostic.Create(Descriptor, call.GetLocation()));
                }, SyntaxKind.InvocationExpression);
            }
        }
        """;

    private static string Zlib() =>
        new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1", "/usr/lib/libz.so.1", "/lib/libz.so.1" }
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("The native-asset test needs the machine's zlib (libz.so.1); install zlib1g.");

    private static byte[] Compile(string name, string code, params string[] extra)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer).Assembly.Location)
            .Append(typeof(CSharpSyntaxNode).Assembly.Location)
            .Concat(extra);
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)],
            framework.Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        }
        return pe.ToArray();
    }

    private void Pack(string id, string version, PackageDependency[] dependencies, params (string Path, byte[] Bytes)[] files)
    {
        var builder = new PackageBuilder { Id = id, Version = NuGetVersion.Parse(version), Description = "A DockScript test package." };
        builder.Authors.Add("dsn");
        builder.DependencyGroups.Add(new PackageDependencyGroup(NuGetFramework.Parse("net8.0"), dependencies));
        foreach (var (path, bytes) in files)
        {
            var source = Path.Combine(root.Path, "src", id, version, path);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllBytes(source, bytes);
            builder.Files.Add(new PhysicalPackageFile { SourcePath = source, TargetPath = path });
        }
        using var nupkg = File.Create(Path.Combine(Folder, $"{id}.{version}.nupkg"));
        builder.Save(nupkg);
    }

    public void Dispose() => root.Dispose();
}

/// <summary>What one test needs around the feed: a script folder with a nuget.config, its own packages folder and memory of restores.</summary>
public sealed class PackageWorld : IDisposable
{
    private readonly TempDir dir = new();

    public PackageWorld(string config)
    {
        dir.Write("scripts/nuget.config", config);
    }

    public string Root => dir.Path;

    public string Scripts => Path.Combine(dir.Path, "scripts");

    public string GlobalPackages => Path.Combine(dir.Path, "packages");

    public string Cache => Path.Combine(dir.Path, "cache");

    public string Write(string name, string text) => dir.Write(Path.Combine("scripts", name), text);

    public void Dispose() => dir.Dispose();
}
