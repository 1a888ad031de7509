using System.Text.RegularExpressions;

namespace DockScript.Tests;

/// <summary>
/// Docker.DotNet stays behind the gateway in src/DockScript.Core/Engine/: no other source file
/// names it, except the documented escape hatch for scripts (<c>Lab.Docker</c>, the <c>Docker</c>
/// global) and what that hatch needs to work.
/// </summary>
public sealed partial class DockerGatewayTests
{
    /// <summary>Every line outside Engine/ allowed to name Docker.DotNet, and why.</summary>
    private static readonly Dictionary<(string File, string Line), string> EscapeHatch = new()
    {
        [("src/DockScript.Core/Session/Lab.cs", "public Docker.DotNet.DockerClient Docker => Engine.Client;")] = "Lab.Docker, the escape hatch",
        [("src/DockScript.Scripting/ScriptGlobals.cs", "using Docker.DotNet;")] = "the Docker global (Lab.Docker for scripts)",
        [("src/DockScript.Scripting/ScriptHost.cs", ".WithReferences(typeof(Lab).Assembly, typeof(ScriptGlobals).Assembly, typeof(Docker.DotNet.DockerClient).Assembly)")] =
            "scripts compile against Docker.DotNet so the escape hatch can be used",
        [("src/DockScript.Scripting/Repl/ReplReferences.cs", "var own = new[] { typeof(Lab).Assembly, typeof(ScriptGlobals).Assembly, typeof(Docker.DotNet.DockerClient).Assembly };")] =
            "REPL submissions compile against Docker.DotNet so the escape hatch can be used",
        [("src/DockScript.Scripting/Packages/PackageAssets.cs", ".Concat(new[] { typeof(Lab), typeof(ScriptGlobals), typeof(Docker.DotNet.DockerClient) }.Select(t => t.Assembly.GetName().Name!))")] =
            "a package never brings its own Docker.DotNet: scripts share the host's, the escape hatch's type",
    };

    [GeneratedRegex(@"\bDocker\.DotNet\b")]
    private static partial Regex DockerDotNet();

    [GeneratedRegex(@"(^|\s)//.*$")]
    private static partial Regex Comment();

    [Fact]
    public void Only_the_gateway_references_Docker_DotNet()
    {
        var root = RepoRoot();
        var found = new List<string>();
        var hatchLinesSeen = new HashSet<(string, string)>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var file = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (file.StartsWith("src/DockScript.Core/Engine/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var (raw, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)))
            {
                var code = Comment().Replace(raw, "").Trim();
                if (!DockerDotNet().IsMatch(code))
                {
                    continue;
                }
                if (EscapeHatch.ContainsKey((file, code)))
                {
                    hatchLinesSeen.Add((file, code));
                    continue;
                }
                found.Add($"{file}:{number}: {code}");
            }
        }
        Assert.True(found.Count == 0, "Docker.DotNet outside src/DockScript.Core/Engine/ (go through the gateway):\n" + string.Join("\n", found));
        // The list is exact: an exception that no longer exists is taken off it.
        Assert.Equal(EscapeHatch.Keys.OrderBy(k => k.File).ToList(), hatchLinesSeen.OrderBy(k => k.Item1).ToList());
    }

    [Theory]
    [InlineData("src/DockScript.Core/Model")]
    [InlineData("src/DockScript.Core/Inside")]
    [InlineData("src/DockScript.Core/Engine")]
    public void Model_Inside_and_Engine_do_not_call_into_Probes(string room)
    {
        var probesTypes = new Regex(@"\b(Probes|StateCache|TransportPool|Targets|EngineView|ContainerView|HelperTransport|NamespaceTransport|NetworkNamespace)\b");
        var found = Directory.EnumerateFiles(Path.Combine(RepoRoot(), room), "*.cs")
            .SelectMany(path => File.ReadLines(path).Select((l, i) => (File: Path.GetFileName(path), Number: i + 1, Code: Comment().Replace(l, "").Trim())))
            .Where(l => !l.Code.StartsWith("///", StringComparison.Ordinal) && probesTypes.IsMatch(l.Code))
            .Select(l => $"{room}/{l.File}:{l.Number}: {l.Code}")
            .ToList();
        Assert.True(found.Count == 0, "the arrow goes Probes → Model/Inside/Engine, never back:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_sees_a_reference()
    {
        Assert.Matches(DockerDotNet(), Comment().Replace("var x = new Docker.DotNet.Models.ContainerListResponse(); // a comment", ""));
        Assert.DoesNotMatch(DockerDotNet(), Comment().Replace("return null; // The default context: DockScript, Docker.DotNet, the framework.", ""));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockScript.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("DockScript.sln not found above " + AppContext.BaseDirectory);
    }
}
