using System.Diagnostics;
using System.Text.Json;

namespace DockScript.IntegrationTests;

/// <summary>
/// Explain on the real engine, each cause of docs/DIAGNOSIS.md produced and named, on both probe
/// paths where the cause applies. Every name starts with "xpl-".
/// </summary>
public sealed class ExplainTests(EngineFixture fx) : EngineTest(fx)
{
    private string X(string suffix) => $"xpl-{Fx.Run}-{suffix}";

    private static readonly ExplanationLayer[] AllLayers =
        [ExplanationLayer.Name, ExplanationLayer.Address, ExplanationLayer.Path, ExplanationLayer.Firewall, ExplanationLayer.Listener, ExplanationLayer.Answer];

    [Theory, MemberData(nameof(Paths))]
    public async Task A_reachable_port_passes_every_layer_with_its_evidence(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(X($"ok-{path}"));
        var a = Containers.Run("dockscript/web", name: X($"ok-a-{path}"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: X($"ok-b-{path}"), network: net.Name);

        var e = await EventuallyAsync(() => probes.ExplainAsync(a, b.Name, 80), r => r.Reachable);
        Assert.True(e.Reachable, e.ToString());
        Assert.Equal((ProbeCause.None, (string?)null, path), (e.Cause, e.Reason, e.Via));
        Assert.Equal(AllLayers, e.Steps.Select(s => s.Layer));
        Assert.All(e.Steps, s => Assert.True(s.Ok, e.ToString()));
        Assert.Contains($"'{b.Name}' → {b.IP} from the embedded DNS (127.0.0.11)", e.Steps[0].Evidence);
        Assert.Contains($"{b.IP} is {b.Name}'s address on '{net.Name}'", e.Steps[1].Evidence);
        Assert.Contains(":0050 ", e.Steps[4].Evidence); // the /proc/net/tcp line of port 80
        Assert.Contains("HTTP 200", e.Steps[5].Evidence);

        // A container target and no port: a ping, and no listener to look at.
        var ping = await probes.ExplainAsync(a, b);
        Assert.True(ping.Reachable, ping.ToString());
        Assert.DoesNotContain(ping.Steps, s => s.Layer == ExplanationLayer.Listener);
        Assert.StartsWith($"explain {a.Name} → {b.Name}: reachable\n├─ ✔ Name", ping.ToString());
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_stopped_target_by_IP_is_named_with_its_exit(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(X($"stop-{path}"));
        var a = Containers.Run("dockscript/web", name: X($"stop-a-{path}"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: X($"stop-b-{path}"), network: net.Name);
        var ip = b.IPs[net.Name];
        b.Stop();

        var e = await probes.ExplainAsync(a, ip);
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.TargetNotRunning, e.Cause);
        var was = $"{ip} was {b.Name}'s address on '{net.Name}'; {b.Name} is stopped (exited ";
        Assert.Contains(was, e.Reason);
        Assert.False(e.Steps[^1].Ok);
        Assert.Equal(ExplanationLayer.Answer, e.Steps[^1].Layer);

        // Ping, Curl and the matrix name the same cause in the same words.
        var ping = await probes.PingAsync(a, ip, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.TargetNotRunning, ping.Cause);
        Assert.Contains(was, ping.Reason);
        var curl = await probes.CurlAsync(a, $"http://{ip}/", timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.TargetNotRunning, curl.Cause);
        Assert.Contains(was, curl.Reason);
        var matrix = await probes.ReachabilityAsync([a, b], timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal((await probes.PingAsync(a, b, count: 1)).Cause, matrix[a.Name, b.Name].ByIp.Cause);
        Assert.Equal((await probes.PingAsync(a, b.Name, count: 1, timeout: TimeSpan.FromMilliseconds(500))).Cause, matrix[a.Name, b.Name].ByName!.Cause);
        Assert.Equal(ProbeCause.TargetNotRunning, matrix[a.Name, b.Name].ByName!.Cause);

        b.Remove();
        var gone = await probes.ExplainAsync(a, ip, port: 80);
        Assert.Equal(ProbeCause.TargetRemoved, gone.Cause);
        var removed = $"{ip} was {b.Name}'s address on '{net.Name}'; {b.Name} has been removed";
        Assert.Contains(removed, gone.Reason);
        var pingGone = await probes.PingAsync(a, ip, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.TargetRemoved, pingGone.Cause);
        Assert.Contains(removed, pingGone.Reason);
        var byName = await probes.ResolveAsync(a, b.Name, TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.TargetRemoved, byName.Cause);
        Assert.Contains($"'{b.Name}' was {b.Name} ({ip} on '{net.Name}'), which has been removed", byName.Reason);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_link_to_a_stopped_container_is_the_cause(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var db = Containers.Run("dockscript/web", name: X($"link-db-{path}"));
        var web = Containers.Run("dockscript/web", name: X($"link-web-{path}"), links: [db.Name]);
        Assert.True((await probes.ExplainAsync(web, db.Name)).Reachable);
        db.Stop();

        var e = await probes.ExplainAsync(web, db.Name);
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.StaleLink, e.Cause);
        var link = $"'{db.Name}' comes from a link in /etc/hosts to {db.Name}, which is stopped (exited ";
        Assert.Contains(link, e.Reason);
        Assert.Contains("from /etc/hosts (a link to", e.Steps[0].Evidence);

        var ping = await probes.PingAsync(web, db.Name, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.StaleLink, ping.Cause);
        Assert.Contains(link, ping.Reason);
        var matrix = await probes.ReachabilityAsync([web, db], timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.StaleLink, matrix[web.Name, db.Name].ByName!.Cause);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_name_on_another_network_names_that_network_and_the_fix(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var front = Networks.Create(X($"front-{path}"));
        var back = Networks.Create(X($"back-{path}"));
        var web = Containers.Run("dockscript/web", name: X($"other-web-{path}"), network: front.Name);
        var db = Containers.Run("dockscript/web", name: X($"other-db-{path}"), network: back.Name, aliases: ["xpldb"]);

        var e = await probes.ExplainAsync(web, "xpldb");
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.NameOnOtherNetwork, e.Cause);
        Assert.Contains($"'xpldb' is an alias of {db.Name} on '{back.Name}'; {web.Name} is only on '{front.Name}'", e.Reason);
        Assert.Contains($"Fix: Networks[\"{back.Name}\"].Connect(\"{web.Name}\")", e.Reason);

        // Ping and Resolve of the name say the same, in the same words.
        var ping = await probes.PingAsync(web, "xpldb", count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal((ProbeCause.NameOnOtherNetwork, e.Reason), (ping.Cause, ping.Reason));
        var resolve = await probes.ResolveAsync(web, "xpldb", TimeSpan.FromMilliseconds(500));
        Assert.Equal((ProbeCause.NameOnOtherNetwork, e.Reason), (resolve.Cause, resolve.Reason));
        var byContainerName = await probes.PingAsync(web, db.Name, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ProbeCause.NameOnOtherNetwork, byContainerName.Cause);
        Assert.Contains($"'{db.Name}' is a container on '{back.Name}'", byContainerName.Reason);

        back.Connect(web);
        var fixedNow = await probes.ExplainAsync(web, "xpldb");
        Assert.True(fixedNow.Reachable, fixedNow.ToString());
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_server_on_127_0_0_1_only_or_on_another_port_is_the_listener_layer(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(X($"lo-{path}"));
        var a = Containers.Run("dockscript/web", name: X($"lo-a-{path}"), network: net.Name);
        var lo = Containers.Run("dockscript/web", name: X($"lo-b-{path}"), network: net.Name, command: "httpd -f -p 127.0.0.1:8080 -h /www");

        var e = await EventuallyAsync(() => probes.ExplainAsync(a, lo.Name, 8080), r => r.Cause == ProbeCause.LoopbackOnly);
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.LoopbackOnly, e.Cause);
        Assert.Contains($"{lo.Name} listens on port 8080 only at 127.0.0.1:8080", e.Reason);
        Assert.Contains("0100007F:1F90", e.Reason);
        Assert.Contains("refused", e.Steps[^1].Evidence);

        var web = await probes.ExplainAsync(lo, a.Name, 81);
        Assert.Equal(ProbeCause.Refused, web.Cause);
        Assert.Contains($"nothing in {a.Name} listens on TCP port 81", web.Reason);
        Assert.Contains("it listens on 80 at ", web.Reason);

        // Its only listener is on loopback, on another port: say where it does listen.
        var other = await probes.ExplainAsync(a, lo.Name, 80);
        Assert.Equal(ProbeCause.Refused, other.Cause);
        Assert.Contains($"nothing in {lo.Name} listens on TCP port 80 at {lo.IP}; it listens on 8080 at 127.0.0.1 only, which only processes inside {lo.Name} can reach.", other.Reason);
        Assert.DoesNotContain("no port at all", other.Reason);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task ICC_off_is_the_path_layer_and_the_probe_agrees(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var name = X($"icc-{path}");
        await Lab.Gateway.Networks.CreateAsync(new NetworkSpec(name, "bridge", false, Lab.LabelsFor(null))
        {
            Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" },
        }, "create the ICC test network", default);
        var a = Containers.Run("dockscript/web", name: X($"icc-a-{path}"), network: name);
        var b = Containers.Run("dockscript/web", name: X($"icc-b-{path}"), network: name);

        var e = await probes.ExplainAsync(a, b, 80);
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.IccDisabled, e.Cause);
        Assert.Contains($"'{name}' has inter-container communication turned off (com.docker.network.bridge.enable_icc=false)", e.Reason);
        Assert.False(e.Steps.Single(s => s.Layer == ExplanationLayer.Path).Ok);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task An_internal_network_asked_for_the_outside_is_named(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(X($"int-{path}"), @internal: true);
        var a = Containers.Run("dockscript/web", name: X($"int-a-{path}"), network: net.Name);

        var e = await probes.ExplainAsync(a, "198.18.0.9");
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.InternalNetwork, e.Cause);
        Assert.Contains($"'{net.Name}' is internal: Docker drops what {a.Name} sends to 198.18.0.9", e.Reason);
        var ping = await probes.PingAsync(a, "198.18.0.9", count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal((ProbeCause.InternalNetwork, e.Reason), (ping.Cause, ping.Reason));
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_published_port_through_the_host_says_which_way_the_traffic_goes(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var port = 47000 + Random.Shared.Next(2000);
        var a = Containers.Run("dockscript/web", name: X($"hp-a-{path}"));
        var b = Containers.Run("dockscript/web", name: X($"hp-b-{path}"), ports: [$"{port}:80"]);
        var gateway = Networks["bridge"].Gateway is { Length: > 0 } g ? g : EngineView.FirstHost(Networks["bridge"].Subnet!)!;

        // DockScript publishes on 127.0.0.1 unless told otherwise, so the hairpin through the bridge's gateway is refused.
        var e = await probes.ExplainAsync(a, gateway, port);
        Assert.Contains($"{gateway} is the host's own address on 'bridge' (its gateway); port {port} is published by {b.Name}", e.Steps[1].Evidence);
        Assert.Contains($"hairpin: {a.Name} → host {gateway}:{port}", e.Steps[2].Evidence);
        Assert.Contains($"→ {b.Name} {b.IP}:80", e.Steps[2].Evidence);
        Assert.False(e.Reachable, e.ToString());
        Assert.Equal(ProbeCause.Hairpin, e.Cause);
        Assert.Contains($"{a.Name} → host {gateway}:{port} → {b.Name}: the hairpin through the host did not connect (refused)", e.Reason);

        var closed = await probes.ExplainAsync(a, gateway, port + 1);
        Assert.False(closed.Reachable, closed.ToString());
        Assert.Equal(ProbeCause.Hairpin, closed.Cause);
        Assert.Contains($"no container publishes port {port + 1} on the host", closed.Reason);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_DOCKER_USER_rule_that_drops_the_flow_is_named(string path)
    {
        // The namespace path reads iptables-save on the host; the helper path through a
        // dockscript/node helper in the host's network namespace (the route for a remote engine).
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(X($"fw-{path}"));
        var a = Containers.Run("dockscript/web", name: X($"fw-a-{path}"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: X($"fw-b-{path}"), network: net.Name);
        // Scoped to these two containers' addresses only, and removed again.
        string[] rule = ["DOCKER-USER", "-s", $"{a.IPs[net.Name]}/32", "-d", $"{b.IPs[net.Name]}/32", "-p", "tcp", "-m", "tcp", "--dport", "80", "-j", "DROP"];
        Assert.Equal(0, await IptablesAsync(["-I", .. rule]));
        try
        {
            var e = await probes.ExplainAsync(a, b, 80);
            Assert.False(e.Reachable, e.ToString());
            Assert.Equal(ProbeCause.FirewallRule, e.Cause);
            Assert.Contains($"the DOCKER-USER rule \"-A DOCKER-USER -s {a.IPs[net.Name]}/32 -d {b.IPs[net.Name]}/32 -p tcp -m tcp --dport 80 -j DROP\" drops tcp", e.Reason);
            Assert.Contains(path == "namespace" ? "(iptables-save on the host)" : "(iptables-save in a helper on the engine's host)",
                (await probes.ExplainAsync(a, b, 81)).Steps.Single(s => s.Layer == ExplanationLayer.Firewall).Evidence);
        }
        finally
        {
            await IptablesAsync(["-D", .. rule]);
        }
        var open = await probes.ExplainAsync(a, b, 80);
        Assert.True(open.Reachable, open.ToString());
    }

    [Fact]
    public async Task The_explain_command_prints_the_tree_or_JSON_and_exits_by_the_outcome()
    {
        var net = Networks.Create(X("cli"));
        var a = Containers.Run("dockscript/web", name: X("cli-a"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: X("cli-b"), network: net.Name);

        var (code, output, _) = await CliTests.DockscriptAsync(null, "explain", a.Name, b.Name, "--port", "80");
        Assert.Equal(0, code);
        Assert.StartsWith($"explain {a.Name} → {b.Name}:80: reachable", output);
        Assert.Contains("✔ Listener", output);

        (code, output, _) = await CliTests.DockscriptAsync(null, "explain", a.Name, b.Name, "--port", "81", "--json");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("reachable").GetBoolean());
        Assert.Equal("Refused", json.RootElement.GetProperty("cause").GetString());
        Assert.Equal("Listener", json.RootElement.GetProperty("steps")[4].GetProperty("layer").GetString());

        (code, _, var err) = await CliTests.DockscriptAsync(null, "explain", X("nosuch"), b.Name);
        Assert.Equal(64, code);
        Assert.Contains($"no container is named '{X("nosuch")}'", err);
    }

    internal static async Task<int> IptablesAsync(string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("iptables", args) { RedirectStandardError = true })!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    internal static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await probe();
            if (done(result) || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return result;
            }
            await Task.Yield();
        }
    }
}
