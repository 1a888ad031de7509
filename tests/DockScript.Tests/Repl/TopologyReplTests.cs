using DockScript.Cli.Repl;
using DockScript.Scripting.Repl;
using Spectre.Console.Testing;

namespace DockScript.Tests.Repl;

public class TopologyReplTests
{
    [Fact]
    public async Task A_topology_shows_as_a_tree_of_networks_and_their_containers()
    {
        var console = new TestConsole().Width(120);

        await new ResultView(console).ShowAsync(TopologySamples.Lab().WithReachability(TopologySamples.Matrix()), default);

        var lines = console.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.StartsWith("topology 4 networks, 5 containers", lines[0], StringComparison.Ordinal);
        var front = lines.FindIndex(l => l.Contains("frontend (bridge, 172.30.0.0/24, gateway 172.30.0.1, masquerade)", StringComparison.Ordinal));
        Assert.True(front > 0, console.Output);
        Assert.Contains("app 172.30.0.3 aka api", lines[front + 1], StringComparison.Ordinal);
        Assert.Contains("web1 172.30.0.2", lines[front + 2], StringComparison.Ordinal);
        var back = lines.FindIndex(l => l.Contains("backend (bridge, 172.31.0.0/24, gateway 172.31.0.1, internal)", StringComparison.Ordinal));
        Assert.Contains("app 172.31.0.3", lines[back + 1], StringComparison.Ordinal);
        Assert.Contains("db 172.31.0.2 aka database", lines[back + 2], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("hermit no address exited", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("link web1 → app as backend-api", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("port 0.0.0.0:8080->80/tcp → web1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("✗ web1 → db: by IP: web1 and db share no network.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Topology(\"ng", 10)]
    [InlineData("Topology(web1, \"ng", 16)]
    public void Topology_takes_live_container_names_in_any_position(string text, int start)
    {
        var site = LiveNameSite.Find(text, text.Length);

        Assert.NotNull(site);
        Assert.Equal(LiveNameKind.Container, site.Kind);
        Assert.Equal(start, site.Span.Start);
    }

    [Fact]
    public void The_topology_command_completes_file_paths()
    {
        Assert.True(Meta.TryParse("#topology lab.svg", out var command, out var argument));
        Assert.Equal(("topology", "lab.svg"), (command, argument));
        Assert.Contains("topology", Meta.Commands);

        var (_, items) = MetaCompletion.Find("#top", 4)!.Value;
        Assert.Equal("topology", Assert.Single(items).ReplacementText);
        Assert.NotNull(MetaCompletion.Find("#topology /", 11));
    }
}
