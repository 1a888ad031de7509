using DockScript.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DockScript.Tests;

/// <summary><c>#r</c> and <c>#load</c> at run time, from a fresh compile and from the cache; no engine.</summary>
public sealed class ScriptReferenceTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>A library the host has never seen, built for the test.</summary>
    private string BuildLibrary(string name)
    {
        var tree = CSharpSyntaxTree.ParseText($"namespace {name} {{ public static class Greeter {{ public static string Hello(string who) => \"hi \" + who; }} }}");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(dir.Path, "libs", name + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }

    [Fact]
    public async Task A_referenced_library_relative_to_the_script_is_usable_fresh_and_cached()
    {
        var name = "RnLib" + Guid.NewGuid().ToString("N")[..8];
        BuildLibrary(name);
        var main = dir.Write("scripts/main.csx", $"#r \"../libs/{name}.dll\"\n#load \"lib/util.csx\"\nreturn {name}.Greeter.Hello(Who);\n");
        dir.Write("scripts/lib/util.csx", "var Who = \"there\";\n");
        var cache = new ScriptCache(Path.Combine(dir.Path, "cache"));

        foreach (var expected in new[] { "miss", "hit" })
        {
            var prepared = await ScriptHost.PrepareAsync(ScriptSources.Read(main), cache);
            Assert.True(prepared.Script is not null, string.Join("\n", prepared.Errors));
            Assert.Equal(expected, prepared.Cache);
            var outcome = await prepared.Script.RunAsync(new ScriptGlobals(null!));
            Assert.Equal("hi there", Assert.IsType<ScriptOutcome.Completed>(outcome).ReturnValue);
        }
    }

    [Fact]
    public async Task A_runtime_error_names_the_loaded_file_and_line_even_from_the_cache()
    {
        var main = dir.Write("main.csx", "#load \"lib/boom.csx\"\nvar x = 1;\nBoom();\n");
        dir.Write("lib/boom.csx", "// explodes\nvoid Boom() =>\n    throw new InvalidOperationException(\"boom\");\n");
        var cache = new ScriptCache(Path.Combine(dir.Path, "cache"));

        foreach (var _ in new[] { "miss", "hit" })
        {
            var prepared = await ScriptHost.PrepareAsync(ScriptSources.Read(main), cache);
            var failed = Assert.IsType<ScriptOutcome.Failed>(await prepared.Script!.RunAsync(new ScriptGlobals(null!)));
            Assert.IsType<InvalidOperationException>(failed.Exception);
            Assert.Equal($"{dir.Path}/lib/boom.csx:3", failed.Location);
        }
    }

    [Fact]
    public async Task A_cancelled_script_is_Cancelled()
    {
        var main = dir.Write("main.csx", "await Task.Delay(TimeSpan.FromMinutes(1), Ambient.Token);\n");
        var prepared = await ScriptHost.PrepareAsync(ScriptSources.Read(main), cache: null);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.IsType<ScriptOutcome.Cancelled>(await prepared.Script!.RunAsync(new ScriptGlobals(null!), cts.Token));
    }
}
