using DockScript.Scripting.Repl;

namespace DockScript.Tests.Repl;

/// <summary>Names a test can choose: no engine involved.</summary>
internal sealed class FakeLiveNames : ILiveNames
{
    public IReadOnlyList<LiveName> Containers { get; init; } =
    [
        new("rp-web1", LiveNameKind.Container, "container rp-web1: running (dockscript/web); bridge 172.17.0.2"),
        new("rp-web2", LiveNameKind.Container, "container rp-web2: exited (dockscript/web)"),
        new("other", LiveNameKind.Container, "container other: running (nginx)"),
    ];

    public IReadOnlyList<LiveName> Networks { get; init; } =
    [
        new("bridge", LiveNameKind.Network, "network bridge: bridge 172.17.0.0/16"),
        new("rp-net", LiveNameKind.Network, "network rp-net: bridge 10.30.0.0/24"),
    ];
}

/// <summary>One workspace for the class: building it is the slow part.</summary>
public sealed class ServicesFixture : IDisposable
{
    public SubmissionWorkspace Workspace { get; } = new();

    public void Dispose() => Workspace.Dispose();
}

public class ReplServicesTests(ServicesFixture fx) : IClassFixture<ServicesFixture>
{
    private ReplServices Services => new(fx.Workspace, new FakeLiveNames());

    [Fact]
    public async Task Members_of_the_globals_complete_with_their_documentation()
    {
        fx.Workspace.Reset();
        var items = await Services.CompleteAsync("Networks.Cre", "Networks.Cre".Length);
        var create = Assert.Single(items, i => i.DisplayText == "Create");
        Assert.Equal("Create", create.ReplacementText);
        Assert.Contains("user-defined network", await create.Description(default));
    }

    [Fact]
    public async Task Globals_complete_at_the_start_of_a_submission()
    {
        fx.Workspace.Reset();
        var items = await Services.CompleteAsync("Contai", 6);
        Assert.Contains(items, i => i.DisplayText == "Containers");
    }

    [Fact]
    public async Task Extension_methods_complete()
    {
        fx.Workspace.Reset();
        var items = await Services.CompleteAsync("Networks.Whe", "Networks.Whe".Length);
        Assert.Contains(items, i => i.DisplayText == "Where<>" && i.ReplacementText == "Where");
    }

    [Fact]
    public async Task Types_of_namespaces_not_imported_are_not_offered()
    {
        fx.Workspace.Reset();
        // The engine library's NetworkResponse (namespace Docker.DotNet.Models, not imported) was
        // offered beside Networks; a type of an imported namespace still completes.
        var items = (await Services.CompleteAsync("Netw", 4)).Select(i => i.DisplayText).ToList();
        Assert.Contains("Networks", items);
        Assert.DoesNotContain("NetworkResponse", items);
        Assert.Contains("StringBuilder", (await Services.CompleteAsync("new System.Text.StringBui", "new System.Text.StringBui".Length)).Select(i => i.DisplayText));
    }

    [Fact]
    public async Task Variables_of_earlier_submissions_complete_and_colour()
    {
        fx.Workspace.Reset();
        fx.Workspace.Accept("var web1 = Containers[\"rp-web1\"];");
        var items = await Services.CompleteAsync("web1.I", "web1.I".Length);
        Assert.Contains(items, i => i.DisplayText == "IP");
        Assert.Contains(items, i => i.DisplayText == "IPs");

        var highlights = await Services.HighlightAsync("web1.IP");
        // web1 is a field of an earlier submission (a script's top-level variable), not an unknown identifier.
        Assert.Contains(highlights, h => h.Start == 0 && h.Length == 4 && h.Classification is "field name" or "local name");
        Assert.Contains(highlights, h => h.Start == 5 && h.Classification == "property name");
    }

    [Fact]
    public async Task Highlights_keywords_strings_and_types()
    {
        fx.Workspace.Reset();
        var text = "var n = Networks.Create(\"x\"); // note";
        var highlights = await Services.HighlightAsync(text);
        Assert.Contains(highlights, h => text.Substring(h.Start, h.Length) == "var" && h.Classification == "keyword");
        Assert.Contains(highlights, h => text.Substring(h.Start, h.Length) == "\"x\"" && h.Classification == "string");
        Assert.Contains(highlights, h => text.Substring(h.Start, h.Length) == "Create" && h.Classification == "method name");
        Assert.Contains(highlights, h => text.Substring(h.Start, h.Length) == "// note" && h.Classification == "comment");
    }

    [Theory]
    [InlineData("Containers[\"rp", LiveNameKind.Container)]
    [InlineData("Networks[\"", LiveNameKind.Network)]
    [InlineData("Ping(\"rp-web1\", \"rp-w", LiveNameKind.Container)]
    [InlineData("Containers.Run(\"dockscript/web\", network: \"rp", LiveNameKind.Network)]
    [InlineData("Containers.Run(\"dockscript/web\", links: new[] { \"rp", LiveNameKind.Container)]
    [InlineData("Containers.Run(\"dockscript/web\", links: [\"rp", LiveNameKind.Container)]
    public void Live_name_sites_are_recognised(string text, LiveNameKind kind)
    {
        var site = LiveNameSite.Find(text, text.Length);
        Assert.NotNull(site);
        Assert.Equal(kind, site.Kind);
    }

    [Theory]
    [InlineData("Containers.Run(\"dock")]
    [InlineData("var s = \"rp")]
    [InlineData("Containers[\"rp-web1\"]")]
    public void Other_strings_are_not_live_name_sites(string text) =>
        Assert.Null(LiveNameSite.Find(text, text.Length));

    [Fact]
    public async Task Container_names_complete_inside_the_indexer_with_their_state()
    {
        var items = await Services.CompleteAsync("Containers[\"rp-w", "Containers[\"rp-w".Length);
        Assert.Equal(["rp-web1", "rp-web2"], items.Select(i => i.DisplayText));
        Assert.Contains("172.17.0.2", await items[0].Description(default));
        // The name replaces what was typed inside the string, dashes included.
        Assert.Equal(new Microsoft.CodeAnalysis.Text.TextSpan(12, 4), ReplServices.CompletionSpan("Containers[\"rp-w", 16));
    }

    [Fact]
    public async Task Network_names_complete_for_the_network_argument()
    {
        var text = "Containers.Run(\"dockscript/web\", network: \"";
        var items = await Services.CompleteAsync(text, text.Length);
        Assert.Equal(["bridge", "rp-net"], items.Select(i => i.DisplayText));
    }

    [Fact]
    public async Task Curl_urls_complete_as_http_urls()
    {
        var text = "Curl(\"rp-web1\", \"http://rp-web2";
        var items = await Services.CompleteAsync(text, text.Length);
        Assert.Equal("http://rp-web2/", Assert.Single(items).ReplacementText);
    }

    [Fact]
    public async Task Overloads_of_a_DSL_call_show_with_the_argument_index()
    {
        fx.Workspace.Reset();
        var text = "Containers.Run(\"dockscript/web\", ";
        var (overloads, argument) = await Services.OverloadsAsync(text, text.Length);
        var run = Assert.Single(overloads);
        Assert.StartsWith("Container Containers.Run(string image", run.Signature);
        Assert.Equal(1, argument);
        Assert.Contains(run.Parameters, p => p.Name == "network" && p.Description.Contains("user-defined"));
    }

    [Theory]
    [InlineData("Networks", true)]
    [InlineData("var x = 1;", true)]
    [InlineData("if (true) {", false)]
    [InlineData("var x = 1 +", false)]
    [InlineData("Containers.Run(\"a\",", false)]
    [InlineData("foreach (var n in Networks)\n{\n    Console.WriteLine(n.Name);\n}", true)]
    [InlineData("#help", true)]
    [InlineData("", true)]
    public void Enter_runs_complete_submissions_and_continues_incomplete_ones(string text, bool complete) =>
        Assert.Equal(complete, ReplServices.IsComplete(text));
}

public class SubmissionWorkspaceTests
{
    [Theory]
    [InlineData("var a = Containers[\"x\"];", true)]
    [InlineData("int Twice(int x) => 2 * x;", true)]
    [InlineData("record Pair(string A, string B);", true)]
    [InlineData("using System.Text;", true)]
    [InlineData("if (int.TryParse(\"1\", out var n)) { }", true)]
    [InlineData("var (x, y) = (1, 2);", true)]
    [InlineData("Networks.Count()", false)]
    [InlineData("foreach (var n in Networks) { Console.WriteLine(n.Name); }", false)]
    [InlineData("Networks.Where(n => n.Name is var name && name.Length > 3)", false)]
    public void Only_declaring_submissions_join_the_chain(string text, bool declares) =>
        Assert.Equal(declares, SubmissionWorkspace.Declares(text));
}
