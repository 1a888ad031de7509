using System.Diagnostics;

namespace DockScript.IntegrationTests;

/// <summary>
/// A small docker-compose project of lab images, brought up ONCE with the real docker-compose
/// (Debian's, installed by scripts/test): <c>web</c> on <c>front</c>, <c>api</c> on
/// <c>front</c> and <c>back</c> (internal), <c>db</c> on <c>back</c> with the alias
/// <c>database</c>, and a link from <c>web</c> to <c>api</c> as <c>apilink</c>.
/// </summary>
public sealed class ComposeProject : IAsyncLifetime
{
    public string Project { get; } = "xpl" + Guid.NewGuid().ToString("N")[..6];

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "xpl-compose-" + Guid.NewGuid().ToString("N")[..6]);

    public string Container(string service) => $"{Project}_{service}_1";

    public string Network(string name) => $"{Project}_{name}";

    private const string File = """
        version: "2.4"
        services:
          web:
            image: dockscript/web
            dns: [127.0.0.1]
            networks: [front]
            links: ["api:apilink"]
          api:
            image: dockscript/web
            dns: [127.0.0.1]
            networks: [front, back]
          db:
            image: dockscript/web
            dns: [127.0.0.1]
            networks:
              back:
                aliases: [database]
        networks:
          front: {}
          back:
            internal: true
        """;

    public async Task InitializeAsync()
    {
        // The lab images the project runs are built the way every test builds them.
        await using (var lab = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] }))
        {
            foreach (var image in LabImage.All)
            {
                await lab.Images.EnsureLabImageAsync(image);
            }
        }
        Directory.CreateDirectory(Dir);
        await System.IO.File.WriteAllTextAsync(Path.Combine(Dir, "docker-compose.yml"), File);
        var (code, output) = await ComposeAsync("up", "-d");
        Assert.True(code == 0, $"docker-compose up failed: {output}");
    }

    public async Task<(int Code, string Output)> ComposeAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("docker-compose", ["-p", Project, .. args])
        {
            WorkingDirectory = Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    public async Task DisposeAsync()
    {
        await ComposeAsync("down", "--timeout", "1");
        Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>Explain, Reachability, the CLI and cleanup against the user's own compose stack.</summary>
public sealed class ComposeTests(EngineFixture fx, ComposeProject compose) : EngineTest(fx), IClassFixture<ComposeProject>
{
    [Fact]
    public async Task A_service_name_on_another_network_is_named_with_the_fix()
    {
        var web = Containers[compose.Container("web")];
        var e = await Lab.Probes.ExplainAsync(web, "db");
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.NameOnOtherNetwork, e.Cause);
        Assert.Contains($"'db' is the service alias of {compose.Container("db")} on '{compose.Network("back")}'; {web.Name} is only on '{compose.Network("front")}'", e.Reason);
        Assert.Contains($"Fix: Networks[\"{compose.Network("back")}\"].Connect(\"{web.Name}\")", e.Reason);

        // Ping and Resolve of the service name give the same cause in the same words.
        var ping = await Lab.Probes.PingAsync(web, "db", count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal((ProbeCause.NameOnOtherNetwork, e.Reason), (ping.Cause, ping.Reason));
        var resolve = await Lab.Probes.ResolveAsync(web, "db", TimeSpan.FromMilliseconds(500));
        Assert.Equal((ProbeCause.NameOnOtherNetwork, e.Reason), (resolve.Cause, resolve.Reason));

        // An alias from the compose file, on the network it was given on.
        var api = Containers[compose.Container("api")];
        var db = await ExplainTests.EventuallyAsync(() => Lab.Probes.ExplainAsync(api, "database", 80), r => r.Reachable);
        Assert.True(db.Reachable, db.ToString());
        Assert.Contains($"is {compose.Container("db")}'s address on '{compose.Network("back")}'", db.Steps[1].Evidence);
        Assert.Contains("internal", db.Steps[2].Evidence);
    }

    [Fact]
    public async Task A_compose_link_and_the_internal_network_are_explained()
    {
        var web = Containers[compose.Container("web")];
        var link = await ExplainTests.EventuallyAsync(() => Lab.Probes.ExplainAsync(web, "apilink", 80), r => r.Reachable);
        Assert.True(link.Reachable, link.ToString());
        Assert.Contains($"is {compose.Container("api")}'s address on '{compose.Network("front")}'", link.Steps[1].Evidence);

        var db = Containers[compose.Container("db")];
        var outside = await Lab.Probes.ExplainAsync(db, "198.18.0.9");
        Assert.Equal(ProbeCause.InternalNetwork, outside.Cause);
        Assert.Contains($"'{compose.Network("back")}' is internal", outside.Reason);
    }

    [Fact]
    public async Task Reachability_of_the_project_matches_its_networks()
    {
        var members = new[] { "web", "api", "db" }.Select(s => Containers[compose.Container(s)]).ToList();
        var matrix = await Lab.Probes.ReachabilityAsync(members);
        Assert.True(matrix[compose.Container("web"), compose.Container("api")].ReachableByIp, matrix.ToString());
        Assert.True(matrix[compose.Container("api"), compose.Container("db")].ReachableByIp, matrix.ToString());
        Assert.False(matrix[compose.Container("web"), compose.Container("db")].ReachableByIp, matrix.ToString());
        // The same pair through Ping gives the same cause, by address and by name.
        var web = members[0];
        var db = members[2];
        Assert.Equal((await Lab.Probes.PingAsync(web, db, count: 1)).Cause, matrix[web.Name, db.Name].ByIp.Cause);
        Assert.Equal((await Lab.Probes.PingAsync(web, db.Name, count: 1, timeout: TimeSpan.FromMilliseconds(500))).Cause, matrix[web.Name, db.Name].ByName!.Cause);
        Assert.Equal(ProbeCause.NameOnOtherNetwork, matrix[web.Name, db.Name].ByName!.Cause);
    }

    [Fact]
    public async Task The_explain_command_works_on_the_project_by_name()
    {
        var (code, output, _) = await CliTests.DockscriptAsync(null, "explain", compose.Container("web"), "db");
        Assert.Equal(1, code);
        Assert.Contains("cause: NameOnOtherNetwork: 'db' is the service alias of", output);

        (code, output, _) = await CliTests.DockscriptAsync(null, "explain", compose.Container("api"), "db", "--port", "80");
        Assert.True(code == 0, output);
        Assert.Contains(": reachable", output);
    }

    [Fact]
    public async Task Cleanup_and_down_leave_the_project_alone()
    {
        // Cleanup does remove what this session made…
        var mine = Containers.Run("dockscript/web", name: $"xpl-{Fx.Run}-mine");
        var report = await Lab.CleanupAsync();
        Assert.Contains(mine.Name, report.Containers);
        // …and nothing of the project.
        foreach (var service in new[] { "web", "api", "db" })
        {
            Assert.True((await Containers.GetAsync(compose.Container(service))).Inspect().Running);
        }
        Assert.True(Networks.Exists(compose.Network("back")));

        var (code, output, _) = await CliTests.DockscriptAsync(null, "down", "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains("down: would remove", output);
        Assert.DoesNotContain(compose.Project, output);
    }
}
