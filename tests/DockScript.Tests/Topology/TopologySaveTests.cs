namespace DockScript.Tests;

public class TopologySaveTests
{
    [Theory]
    [InlineData("lab.svg", "SVG", "<svg")]
    [InlineData("lab.mmd", "Mermaid", "flowchart LR")]
    [InlineData("lab.dot", "DOT", "digraph topology")]
    public void Save_picks_the_format_from_the_extension(string name, string format, string start)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, name);

        var file = TopologySamples.Lab().Save(path);

        Assert.Equal(format, file.Format);
        Assert.Equal(path, file.Path);
        Assert.Null(file.Note);
        Assert.Contains(start, File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal($"wrote {path} ({format}, 4 networks, 5 containers)", file.ToString());
    }

    [Fact]
    public void Save_with_another_extension_is_one_sentence()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<DockScriptException>(() => TopologySamples.Lab().Save(Path.Combine(dir.Path, "lab.png")));

        Assert.Contains("end the name in .svg (a drawing), .mmd (Mermaid) or .dot (Graphviz)", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Without_graphviz_an_svg_becomes_mermaid_text_with_one_sentence()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "lab.svg");
        Graphviz.Override = Path.Combine(dir.Path, "no-such-dot");
        try
        {
            var file = TopologySamples.Lab().Save(path);

            Assert.Equal("Mermaid", file.Format);
            Assert.Equal(Path.Combine(dir.Path, "lab.mmd"), file.Path);
            Assert.False(File.Exists(path));
            Assert.StartsWith("flowchart LR", File.ReadAllText(file.Path), StringComparison.Ordinal);
            Assert.Equal(file.Note, file.ToString());
            Assert.Contains("Graphviz's dot is not installed (apt-get install graphviz)", file.Note, StringComparison.Ordinal);
            Assert.Contains("holds the picture as Mermaid text instead of", file.Note, StringComparison.Ordinal);
            var e = Assert.Throws<DockScriptException>(() => TopologySamples.Lab().ToSvg());
            Assert.Contains("ToMermaid()", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Graphviz.Override = null;
        }
    }

    [Fact]
    public void Links_are_read_from_the_engine_form()
    {
        Assert.Equal(new TopologyLink("nginx1", "nginx1"), TopologyReader.Link("/nginx1:/nginx3/nginx1"));
        Assert.Equal(new TopologyLink("nginx1", "db"), TopologyReader.Link("/nginx1:/nginx3/db"));
        Assert.Null(TopologyReader.Link("garbage"));
    }

    [Fact]
    public void A_containers_own_name_and_short_id_are_not_listed_as_aliases()
    {
        var id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var info = new ContainerInfo(id, "web1", "dockscript/web", "running", new Dictionary<string, string>(), "lab",
            new Dictionary<string, EndpointInfo> { ["lab"] = new("nid", "172.30.0.2", ["web1", "0123456789ab", "api"]) })
        {
            Links = ["/db:/web1/database"],
            Ports = [new PortMapping(null, 8080, 80, "tcp")],
        };

        var c = TopologyReader.Container(info);

        Assert.Equal(["api"], c.Endpoints.Single().Aliases);
        Assert.Equal(new TopologyLink("db", "database"), c.Links.Single());
        Assert.Equal(8080, c.Ports.Single().HostPort);
    }
}
