using DockScript.Scripting;

namespace DockScript.Tests;

/// <summary>Every C# example in README.md and docs/ compiles and passes DockScript's analyzers, as <c>dockscript check</c> would say.</summary>
public sealed class DocExampleTests
{
    public static TheoryData<string> Examples() => [.. DocExample.All().Select(e => e.ToString())];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_example_compiles(string where)
    {
        var example = DocExample.All().Single(e => e.ToString() == where);
        // Named after its place in the docs, so a diagnostic reads README.md:LINE-of-the-block.
        var path = Path.Combine(DocExample.Root(), $"{example.File}-{example.Line}.csx");

        var (errors, _) = await ScriptHost.CheckAsync(ScriptSources.Read(path, example.Code));

        Assert.True(errors.Count == 0, $"The C# block at {where} does not compile:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void The_docs_have_examples_and_some_run()
    {
        var all = DocExample.All();

        Assert.Contains(all, e => e.File == "README.md");
        Assert.Contains(all, e => e.File == Path.Combine("docs", "DSL.md") && e.Runnable);
    }

    [Fact]
    public void Blocks_are_found_with_their_lines_and_markers()
    {
        var found = DocExample.In("x.md", ["text", "```csharp", "// runnable", "var a = 1;", "```", "```bash", "ls", "```", "```csharp", "Ping(a, b)", "```"]).ToList();

        Assert.Equal([new DocExample("x.md", 3, "// runnable\nvar a = 1;\n"), new DocExample("x.md", 10, "Ping(a, b)\n")], found);
        Assert.True(found[0].Runnable);
        Assert.False(found[1].Runnable);
    }

    [Fact]
    public void The_DSL_reference_names_every_type_scripts_see()
    {
        var dsl = File.ReadAllText(Path.Combine(DocExample.Root(), "docs", "DSL.md"));
        var types = ScriptSurfaceTests.Surface()
            .Where(l => l.StartsWith("type DockScript.", StringComparison.Ordinal))
            .Select(l => l["type DockScript.".Length..].Split('+')[0])
            .Distinct();

        var missing = types.Where(t => !dsl.Contains($"`{t}`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"docs/DSL.md does not describe these types scripts can see: {string.Join(", ", missing)}");
    }
}
