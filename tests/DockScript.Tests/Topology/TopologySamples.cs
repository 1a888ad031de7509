namespace DockScript.Tests;

/// <summary>Synthetic topologies: no engine needed.</summary>
internal static class TopologySamples
{
    private static PingResult Ok(string from, string to) => new(from, to, "10.0.0.1", 1, 1, null, null, "namespace");

    private static PingResult Fail(string from, string to, ProbeCause cause, string reason) =>
        new(from, to, null, 0, 0, null, reason, "namespace") { Cause = cause };

    /// <summary>web1 on frontend alone, app on frontend and backend, db on backend (internal), hermit on none, h on host; a link, a port, the outside server.</summary>
    public static Topology Lab() => new(
        [
            new TopologyNetwork("frontend", "bridge", "172.30.0.0/24", "172.30.0.1", Internal: false, Masquerade: true),
            new TopologyNetwork("backend", "bridge", "172.31.0.0/24", "172.31.0.1", Internal: true, Masquerade: false),
            new TopologyNetwork("host", "host", null, null, false, false),
            new TopologyNetwork("none", "null", null, null, false, false),
        ],
        [
            new TopologyContainer("app", "dockscript/web", "running",
                [new TopologyEndpoint("frontend", "172.30.0.3", ["api"]), new TopologyEndpoint("backend", "172.31.0.3", [])], [], []),
            new TopologyContainer("db", "dockscript/toolbox", "running", [new TopologyEndpoint("backend", "172.31.0.2", ["database"])], [], []),
            new TopologyContainer("h", "dockscript/toolbox", "running", [new TopologyEndpoint("host", null, [])], [], []),
            new TopologyContainer("hermit", "dockscript/toolbox", "exited", [new TopologyEndpoint("none", null, [])], [], []),
            new TopologyContainer("web1", "dockscript/web", "running", [new TopologyEndpoint("frontend", "172.30.0.2", [])],
                [new TopologyLink("app", "backend-api")], [new PortMapping(null, 8080, 80, "tcp")]),
        ],
        new TopologyHost("labhost"),
        new TopologyOutside("198.18.7.2", "198.18.7.1"));

    /// <summary>web1 ↔ app answer; web1 → db fails (no shared network); db → web1 likewise; app ↔ db answer; hermit is isolated.</summary>
    public static Reachability Matrix() => new(["web1", "app", "db"],
    [
        new ReachabilityCell("web1", "app", Ok("web1", "app"), Ok("web1", "app")),
        new ReachabilityCell("app", "web1", Ok("app", "web1"), Ok("app", "web1")),
        new ReachabilityCell("web1", "db", Fail("web1", "db", ProbeCause.NoSharedNetwork, "web1 and db share no network."), Fail("web1", "db", ProbeCause.UnknownName, "No one knows the name db.")),
        new ReachabilityCell("db", "web1", Fail("db", "web1", ProbeCause.NoSharedNetwork, "db and web1 share no network."), null),
        new ReachabilityCell("app", "db", Ok("app", "db"), Ok("app", "db")),
        new ReachabilityCell("db", "app", Ok("db", "app"), Ok("db", "app")),
    ]);

    /// <summary><paramref name="containers"/> containers spread over <paramref name="networks"/> networks, every tenth on two.</summary>
    public static Topology Big(int containers, int networks) => new(
        Enumerable.Range(0, networks).Select(i => new TopologyNetwork($"net{i}", "bridge", $"10.{i}.0.0/16", $"10.{i}.0.1", i % 5 == 4, i % 5 != 4)).ToList(),
        Enumerable.Range(0, containers).Select(i => new TopologyContainer($"c{i}", "dockscript/web", "running",
            i % 10 == 0
                ? [new TopologyEndpoint($"net{i % networks}", $"10.{i % networks}.0.{i + 2}", []), new TopologyEndpoint($"net{(i + 1) % networks}", $"10.{(i + 1) % networks}.1.{i + 2}", [])]
                : [new TopologyEndpoint($"net{i % networks}", $"10.{i % networks}.0.{i + 2}", [])],
            [], [])).ToList(),
        new TopologyHost("bench"), null);
}
