namespace DockScript.IntegrationTests;

/// <summary>The example scripts are tests too: each must run clean and leave nothing behind.</summary>
public sealed class TourTests(EngineFixture fx) : EngineTest(fx)
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DockScript.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }

    [Fact]
    public async Task Tour_01_basics_walks_every_claim_and_cleans_up()
    {
        var tour = Path.Combine(RepoRoot(), "scripts", "tour", "01-basics.csx");
        var (code, stdout, stderr) = await CliTests.DockscriptAsync(null, "run", tour);
        Assert.True(code == 0, stderr + stdout);
        foreach (var claim in new[] { "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S11", "S12", "S13", "S14" })
        {
            Assert.Contains($"── {claim} ·", stdout);
        }
        Assert.Contains("All claims held.", stdout);
        // S7 and S14 as packets: the SYN leaving nginx1 and arriving outside, the query to 127.0.0.11 and its answer.
        Assert.Contains("captured at the outside", stdout);
        Assert.Contains("DNS query A nginx5", stdout);
        Assert.Contains("127.0.0.11:53 > ", stdout);
        // The one by-name probe from the default bridge is deliberate, and silenced as such (DS0004).
        Assert.DoesNotContain("warning", stderr);
        Assert.Contains("cleanup: removed 8 containers (hermit, hostweb, nginx1, nginx2, nginx3, nginx4, nginx5, nginx6), 2 networks (my-network, plain) and 1 probe helper", stderr);
        Assert.False(Containers.Exists("nginx1"));
        Assert.False(Networks.Exists("my-network"));
    }

    [Fact]
    public async Task Tour_03_overlay_runs_the_overlay_chapter_on_three_nodes_and_cleans_up()
    {
        // A cluster of its own, named for this run, in a process of its own: nothing is shared
        // with the cluster tests' fixture (nor would survive a restart of the engine).
        var name = ClusterFixture.Prefix("it") + "tour" + Guid.NewGuid().ToString("N")[..4];
        var tour = Path.Combine(RepoRoot(), "scripts", "tour", "03-overlay.csx");
        var (code, stdout, stderr) = await CliTests.DockscriptAsync(null, "run", tour, "--", name);
        Assert.True(code == 0, stderr + stdout);
        foreach (var claim in new[] { "O1", "O2", "O3", "O4", "O5" })
        {
            Assert.Contains($"── {claim} ·", stdout);
        }
        Assert.Contains("All claims held.", stdout);
        Assert.Contains("tasks.web", stdout);
        // What the VIP needs, said either way: this machine's kernel has no IPVS.
        Assert.Contains(Ipvs.Available ? "probe → http://api/" : "no IPVS", stdout);
        Assert.DoesNotContain("warning", stderr);
        Assert.Contains($"{name}-1, {name}-2, {name}-3", stderr);
        Assert.False(Containers.Exists($"{name}-1"));
        Assert.False(Networks.Exists(name));
    }
}
