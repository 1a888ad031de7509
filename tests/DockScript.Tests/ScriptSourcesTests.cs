using DockScript.Scripting;

namespace DockScript.Tests;

public sealed class ScriptSourcesTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Loads_are_read_recursively_relative_to_the_loading_file()
    {
        var main = dir.Write("main.csx", "#load \"lib/a.csx\"\n#load \"lib/a.csx\"\nvar x = A;\n");
        dir.Write("lib/a.csx", "#!/usr/bin/env dockscript\n#load \"deeper/b.csx\"\nvar A = B + 1;\n");
        dir.Write("lib/deeper/b.csx", "var B = 1;\n");

        var sources = ScriptSources.Read(main);

        Assert.Empty(sources.Problems);
        Assert.Equal([main, Path.Combine(dir.Path, "lib", "a.csx"), Path.Combine(dir.Path, "lib", "deeper", "b.csx")], sources.Files.Select(f => f.FullPath));
        Assert.StartsWith("//", sources.Files[1].Text);
    }

    [Fact]
    public void A_missing_load_is_one_sentence_at_its_line()
    {
        var main = dir.Write("main.csx", "// first\n#load \"nope.csx\"\n");

        var problem = Assert.Single(ScriptSources.Read(main).Problems);

        Assert.Equal($"{main}:2:1: error DS0100: #load \"nope.csx\" names a file that does not exist ({dir.Path}/nope.csx); check the path, which is relative to the loading file.", problem);
    }

    [Fact]
    public void A_cycle_names_the_file_and_the_way_round()
    {
        var main = dir.Write("main.csx", "#load \"a.csx\"\n");
        dir.Write("a.csx", "#load \"b.csx\"\n");
        dir.Write("b.csx", "#load \"a.csx\"\n");

        var problem = Assert.Single(ScriptSources.Read(main).Problems);

        Assert.Equal($"{dir.Path}/b.csx:1:1: error DS0101: {dir.Path}/a.csx loads itself through {dir.Path}/b.csx; remove one of these #load lines.", problem);
    }

    [Fact]
    public void A_file_loading_itself_is_a_cycle_too()
    {
        var main = dir.Write("self.csx", "#load \"self.csx\"\n");

        Assert.Equal($"{main}:1:1: error DS0101: {main} loads itself; remove this #load.", Assert.Single(ScriptSources.Read(main).Problems));
    }

    [Fact]
    public void A_loaded_file_that_is_not_UTF8_is_named()
    {
        var main = dir.Write("main.csx", "#load \"latin.csx\"\n");
        File.WriteAllBytes(Path.Combine(dir.Path, "latin.csx"), [0x2F, 0x2F, 0xE9, 0xFF]);

        var problem = Assert.Single(ScriptSources.Read(main).Problems);

        Assert.Contains("error DS0100: Script '", problem);
        Assert.Contains("latin.csx' is not valid UTF-8 text", problem);
    }

    [Fact]
    public void References_are_collected_when_the_file_exists()
    {
        var dll = Path.Combine(dir.Path, "lib.dll");
        File.WriteAllBytes(dll, [1, 2, 3]);
        var main = dir.Write("main.csx", "#r \"lib.dll\"\n#r \"missing.dll\"\n#r \"nuget: Foo, 1.0\"\n");

        Assert.Equal([dll], ScriptSources.Read(main).References);
    }
}
