using System.Diagnostics;
using System.Net;

namespace DockScript.IntegrationTests;

/// <summary>
/// The seed's reachability claims (S2, S5, S9–S14) as typed probe results, each on both paths:
/// "namespace" (entered directly with setns) and "helper" (a toolbox container sharing the
/// source's namespace). Both must give the same answers.
/// </summary>
public sealed class ProbeTests(EngineFixture fx) : EngineTest(fx)
{
    [Theory, MemberData(nameof(Paths))]
    public async Task S2_default_bridge_reaches_by_ip_but_not_by_name(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var a = Containers.Run("dockscript/web", name: Name($"br-a-{path}"));
        var b = Containers.Run("dockscript/web", name: Name($"br-b-{path}"));

        var byIp = probes.Ping(a, b.IP!, count: 2);
        Assert.True(byIp.Success, byIp.ToString());
        Assert.Equal(path, byIp.Via);
        Assert.Equal(b.IP, byIp.Address);
        Assert.Equal(ProbeCause.None, byIp.Cause);
        Assert.Equal((2, 2, 0.0), (byIp.Sent, byIp.Received, byIp.LossPercent));
        Assert.NotNull(byIp.Rtt);
        Assert.True(byIp.Rtt!.Min <= byIp.Rtt.Avg && byIp.Rtt.Avg <= byIp.Rtt.Max && byIp.Rtt.Max < TimeSpan.FromSeconds(1));

        var byContainer = probes.Ping(a, b, count: 1);
        Assert.True(byContainer.Success, byContainer.ToString());
        Assert.Equal(b.IP, byContainer.Address);

        var byName = probes.Ping(a, b.Name, count: 1);
        Assert.False(byName.Success);
        Assert.Null(byName.Address);
        Assert.Equal(ProbeCause.DefaultBridgeHasNoNames, byName.Cause);
        Assert.Contains("only on the default bridge network, which has no name resolution", byName.Reason);
        Assert.Contains("user-defined network or a link", byName.Reason);

        var dns = probes.Resolve(a, b.Name);
        Assert.False(dns.Success);
        Assert.Equal(AnsweredBy.None, dns.AnsweredBy);
        Assert.Contains("default bridge", dns.Reason);
        Assert.Equal(ProbeCause.DefaultBridgeHasNoNames, dns.Cause);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S9_curl_by_ip_gets_the_hostname_page_even_from_an_image_without_tools(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        // The source image has no ping, wget, nslookup or even a shell.
        var bare = Containers.Run(Fx.Bare.Name, name: Name($"curl-bare-{path}"));
        Assert.True(bare.Exec("ping -c 1 127.0.0.1").ProgramMissing);
        var web = Containers.Run("dockscript/web", name: Name($"curl-web-{path}"));

        var page = await EventuallyAsync(() => probes.CurlAsync(bare, $"http://{web.IP}/"), r => r.Success);
        Assert.Equal(200, page.StatusCode);
        Assert.Equal(web.ShortId, page.Body.Trim());
        Assert.Equal(web.IP, page.Address);
        Assert.Equal(HttpFailure.None, page.Failure);
        Assert.Null(page.Reason);
        Assert.Equal("text/html", page.Headers["Content-Type"]);
        Assert.Equal(path, page.Via);

        var ping = probes.Ping(bare, web, count: 1);
        Assert.True(ping.Success, ping.ToString());
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S11_a_link_answers_from_the_hosts_file(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var web1 = Containers.Run("dockscript/web", name: Name($"link1-{path}"));
        var web3 = Containers.Run("dockscript/web", name: Name($"link3-{path}"), links: [web1.Name]);

        var dns = probes.Resolve(web3, web1.Name);
        Assert.True(dns.Success, dns.ToString());
        Assert.Equal(AnsweredBy.HostsFile, dns.AnsweredBy);
        Assert.Equal([web1.IP!], dns.Addresses);

        var page = await EventuallyAsync(() => probes.CurlAsync(web3, $"http://{web1.Name}/"), r => r.Success);
        Assert.Equal(web1.ShortId, page.Body.Trim());
        Assert.True(probes.Ping(web3, web1.Name, count: 1).Success);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S12_S14_a_user_network_answers_names_from_the_embedded_dns(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"dns-{path}"));
        var a = Containers.Run("dockscript/web", name: Name($"dns-a-{path}"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: Name($"dns-b-{path}"), network: net.Name);

        var dns = probes.Resolve(a, b.Name);
        Assert.True(dns.Success, dns.ToString());
        Assert.Equal(AnsweredBy.EmbeddedDns, dns.AnsweredBy);
        Assert.Equal("127.0.0.11", dns.Server);
        Assert.Equal([b.IP!], dns.Addresses);

        var ping = probes.Ping(a, b.Name, count: 1);
        Assert.True(ping.Success, ping.ToString());
        Assert.Equal(b.IP, ping.Address);
        var page = await EventuallyAsync(() => probes.CurlAsync(a, $"http://{b.Name}/"), r => r.Success);
        Assert.Equal(b.ShortId, page.Body.Trim());

        // A name nobody has: the embedded DNS forwards it to the container's upstream (127.0.0.1
        // in the tests, where nothing answers), so nothing leaves the machine.
        var unknown = probes.Resolve(a, Name("nobody"), timeout: TimeSpan.FromMilliseconds(500));
        Assert.False(unknown.Success);
        Assert.Contains("embedded DNS (127.0.0.11) knows no container", unknown.Reason);
        Assert.Equal(ProbeCause.UnknownName, unknown.Cause);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S13_disconnect_breaks_reachability_and_connect_restores_it(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"cd-{path}"));
        var web1 = Containers.Run("dockscript/web", name: Name($"cd1-{path}"));
        var web4 = Containers.Run("dockscript/web", name: Name($"cd4-{path}"), network: net.Name);

        var before = probes.Ping(web4, web1, count: 1);
        Assert.False(before.Success);
        Assert.Contains("share no network", before.Reason);
        Assert.Equal(ProbeCause.NoSharedNetwork, before.Cause);

        net.Connect(web1);
        var connected = probes.Ping(web4, web1, count: 1);
        Assert.True(connected.Success, connected.ToString());
        Assert.Equal(web1.IPs[net.Name], connected.Address);
        Assert.True(probes.Ping(web4, web1.Name, count: 1).Success, "by name once connected");

        var departed = web1.IPs[net.Name];
        net.Disconnect(web1);
        var after = probes.Ping(web4, web1, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.False(after.Success);
        Assert.Contains($"{web4.Name} and {web1.Name} share no network", after.Reason);
        Assert.Equal(ProbeCause.NoSharedNetwork, after.Cause);
        var byName = probes.Ping(web4, web1.Name, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.False(byName.Success);
        Assert.Contains("share no network", byName.Reason); // a name on the default bridge only: no DNS knows it there either
        Assert.Equal(ProbeCause.NoSharedNetwork, byName.Cause);
        var toOldAddress = probes.Ping(web4, departed, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.False(toOldAddress.Success);
        Assert.Contains($"{departed} was {web1.Name}'s address on '{net.Name}'; {web1.Name} now has ", toOldAddress.Reason);
        Assert.Equal(ProbeCause.AddressVacant, toOldAddress.Cause);

        net.Connect(web1);
        Assert.True(probes.Ping(web4, web1, count: 1).Success, "connected again");
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S5_nothing_leaves_a_none_container(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var web = Containers.Run("dockscript/web", name: Name($"none-web-{path}"));
        var hermit = Containers.Run("dockscript/toolbox", name: Name($"hermit-{path}"), network: "none", command: "sleep 3600");

        var ping = probes.Ping(hermit, web.IP!, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.False(ping.Success);
        Assert.Equal(1, ping.Sent);
        Assert.Contains("is on the 'none' network: it has only loopback", ping.Reason);
        Assert.Equal(ProbeCause.SourceIsolated, ping.Cause);
        var curl = probes.Curl(hermit, $"http://{web.IP}/", timeout: TimeSpan.FromSeconds(1));
        Assert.False(curl.Success);
        Assert.Contains("'none' network", curl.Reason);
        Assert.Equal(ProbeCause.SourceIsolated, curl.Cause);
        var inward = probes.Ping(web, hermit, count: 1);
        Assert.False(inward.Success);
        Assert.Contains("nothing outside it can reach it", inward.Reason);
        Assert.Equal(ProbeCause.TargetIsolated, inward.Cause);
        // Its own loopback still answers.
        Assert.True(probes.Ping(hermit, "127.0.0.1", count: 1).Success);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S10_count_and_timeout_are_honoured(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"to-{path}"));
        var a = Containers.Run("dockscript/toolbox", name: Name($"to-a-{path}"), network: net.Name, command: "sleep 3600");
        var b = Containers.Run("dockscript/web", name: Name($"to-b-{path}"), network: net.Name);

        var three = probes.Ping(a, b, count: 3);
        Assert.Equal((3, 3), (three.Sent, three.Received));

        // An address on the test's own network that no container holds: no reply, only the wait.
        // How closely the wait matches the timeout is measured in bench/probes, not asserted here.
        var silent = Unused(net);
        var timedOut = probes.Ping(a, silent, count: 1, timeout: TimeSpan.FromSeconds(1));
        Assert.False(timedOut.Success);
        Assert.Equal(100, timedOut.LossPercent);
        Assert.Contains($"no running container has {silent} on '{net.Name}'", timedOut.Reason);
        Assert.Equal(ProbeCause.AddressVacant, timedOut.Cause);

        var http = probes.Curl(a, $"http://{silent}/", timeout: TimeSpan.FromSeconds(1));
        Assert.Contains(http.Failure, new[] { HttpFailure.Timeout, HttpFailure.Unreachable });
        Assert.Equal(ProbeCause.AddressVacant, http.Cause);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task Failures_are_told_apart_from_the_engine_state(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"why-{path}"));
        var a = Containers.Run("dockscript/toolbox", name: Name($"why-a-{path}"), network: net.Name, command: "sleep 3600");
        var web = Containers.Run("dockscript/web", name: Name($"why-web-{path}"), network: net.Name);

        var refused = await EventuallyAsync(() => probes.CurlAsync(a, $"http://{web.Name}:81/"), r => r.Failure == HttpFailure.Refused);
        Assert.Null(refused.StatusCode);
        Assert.Contains("nothing listens on port 81", refused.Reason);
        Assert.Equal(ProbeCause.Refused, refused.Cause);

        var notFound = await EventuallyAsync(() => probes.CurlAsync(a, $"http://{web.Name}/missing"), r => r.StatusCode is not null);
        Assert.Equal(404, notFound.StatusCode);
        Assert.False(notFound.Success);
        Assert.Contains("404", notFound.Reason);
        Assert.Equal(ProbeCause.HttpError, notFound.Cause);

        var dnsFailure = probes.Curl(a, $"http://{Name("ghost")}/", timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(HttpFailure.Dns, dnsFailure.Failure);
        Assert.Equal(ProbeCause.UnknownName, dnsFailure.Cause);

        web.Stop();
        var stopped = probes.Ping(a, web, count: 1);
        Assert.False(stopped.Success);
        Assert.Contains($"{web.Name} is stopped (exited ", stopped.Reason);
        Assert.Equal(ProbeCause.TargetNotRunning, stopped.Cause);
        var stoppedByName = probes.Ping(a, web.Name, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.Contains($"'{web.Name}' is {web.Name}, which is stopped (exited ", stoppedByName.Reason);
        Assert.Equal(ProbeCause.TargetNotRunning, stoppedByName.Cause);

        a.Stop();
        var fromStopped = probes.Ping(a, "127.0.0.1", count: 1);
        Assert.False(fromStopped.Success);
        Assert.Equal(0, fromStopped.Sent);
        Assert.Contains("start it first", fromStopped.Reason);
        Assert.Equal(ProbeCause.SourceNotRunning, fromStopped.Cause);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task S7_masquerade_is_proved_by_what_an_outside_server_sees(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var plain = Networks.Create(Name($"nomasq-{path}"), ipMasquerade: false);
        var shut = Networks.Create(Name($"shut-{path}"), @internal: true);
        var onBridge = Containers.Run("dockscript/toolbox", name: Name($"masq-a-{path}"), command: "sleep 3600");
        var onPlain = Containers.Run("dockscript/toolbox", name: Name($"masq-b-{path}"), network: plain.Name, command: "sleep 3600");
        var onInternal = Containers.Run("dockscript/toolbox", name: Name($"masq-c-{path}"), network: shut.Name, command: "sleep 3600");

        // The default bridge masquerades: the outside sees the host, not the container.
        var nat = probes.Masquerade(onBridge);
        Assert.True(nat.Success, nat.ToString());
        Assert.Equal(path, nat.Via);
        Assert.True(nat.Masqueraded, nat.ToString());
        Assert.Equal(nat.HostAddress, nat.SeenAs);
        Assert.NotEqual(onBridge.IP, nat.SeenAs);
        Assert.StartsWith("198.1", nat.SeenAs);
        Assert.Contains("the host masqueraded it", nat.ToString());

        // Masquerade off: the container's own address arrives (the outside routes replies back via the host).
        var own = probes.Masquerade(onPlain);
        Assert.True(own.Success, own.ToString());
        Assert.False(own.Masqueraded);
        Assert.Equal(onPlain.IP, own.SeenAs);
        Assert.Equal(nat.HostAddress, own.HostAddress);

        // An internal network has no way out at all.
        var none = probes.Masquerade(onInternal, TimeSpan.FromSeconds(1));
        Assert.False(none.Success);
        Assert.Equal(ProbeCause.InternalNetwork, none.Cause);
        Assert.Contains("is internal", none.Reason);
    }

    [Fact]
    public async Task The_outside_server_and_its_link_on_the_host_go_with_the_session()
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] });
        var a = lab.Containers.Run("dockscript/toolbox", name: Name("gone-a"), command: "sleep 3600");
        Assert.True(lab.Probes.Masquerade(a).Masqueraded);
        var server = Assert.Single(lab.Created, n => n.StartsWith("dockscript-outside-", StringComparison.Ordinal));
        var id = server.Split(' ')[0]["dockscript-outside-".Length..];
        Assert.True(Directory.Exists($"/sys/class/net/dsh{id}"), "the host's end of the link exists while the session does");
        // Plumbing is hidden from the user's view of containers.
        Assert.DoesNotContain(lab.Containers.All, c => c.Name.StartsWith("dockscript-", StringComparison.Ordinal));

        var report = await lab.CleanupAsync();
        Assert.Equal($"removed 1 container ({a.Name}) and 1 probe helper", report.ToString());
        // The kernel tears a namespace down after its last process is gone, a moment after the
        // engine says the container is removed: wait for that, boundedly.
        await UntilAsync(() => !Directory.Exists($"/sys/class/net/dsh{id}"));
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task An_internal_network_has_no_route_outside(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var inside = Networks.Create(Name($"int-{path}"), @internal: true);
        var outside = Networks.Create(Name($"ext-{path}"));
        var a = Containers.Run("dockscript/toolbox", name: Name($"int-a-{path}"), network: inside.Name, command: "sleep 3600");

        // An unused address on another network this test made: forwarding it is what 'internal' forbids.
        var silent = Unused(outside);
        var ping = probes.Ping(a, silent, count: 1, timeout: TimeSpan.FromMilliseconds(500));
        Assert.False(ping.Success);
        Assert.Contains($"'{inside.Name}' is internal: Docker drops what {a.Name} sends to {silent}", ping.Reason);
        Assert.Equal(ProbeCause.InternalNetwork, ping.Cause);
    }

    [Fact]
    public async Task The_helper_path_keeps_one_helper_per_source_and_cleanup_removes_it()
    {
        await using var lab = await Fx.PortableViewAsync();
        var probes = lab.Probes;
        var a = lab.Containers.Run("dockscript/web", name: Name("reuse-a"));
        var b = lab.Containers.Run("dockscript/web", name: Name("reuse-b"));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(probes.Ping(a, b, count: 1).Success);
        }
        probes.Resolve(a, "localhost");
        await EventuallyAsync(() => probes.CurlAsync(a, $"http://{b.IP}/"), r => r.Success);
        var helpers = Helpers();
        Assert.Single(helpers);
        Assert.Equal(Lab.SessionId, helpers[0][LabLabels.Session]);
        // Helpers are plumbing: not among the containers a user lists.
        Assert.DoesNotContain(lab.Containers.All, c => c.Name.StartsWith("dockscript-probe-", StringComparison.Ordinal));
        // The session still owns it, and says what it is.
        var created = lab.Created.Where(n => n.Contains(a.Name, StringComparison.Ordinal)).ToList();
        Assert.Contains($"{a.Name} (container)", created);
        Assert.Single(created, n => n.StartsWith($"dockscript-probe-{a.Name}-", StringComparison.Ordinal) && n.EndsWith(" (probe helper)", StringComparison.Ordinal));

        probes.Ping(b, a, count: 1);
        Assert.Equal(2, Helpers().Count);
        a.Remove();
        Assert.Single(Helpers());
        var report = await Lab.CleanupAsync();
        Assert.Equal($"removed 1 container ({b.Name}) and 1 probe helper", report.ToString());
        Assert.Empty(Helpers());

        List<IDictionary<string, string>> Helpers() =>
            Lab.Docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true }).Result
                .Where(c => c.Labels!.TryGetValue(LabLabels.Session, out var s) && s == Lab.SessionId
                            && c.Labels!.TryGetValue(LabLabels.Role, out var r) && r == "probe")
                .Select(c => c.Labels!).ToList();
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_restarted_source_is_probed_in_its_new_namespace(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"rs-{path}"));
        var a = Containers.Run("dockscript/web", name: Name($"rs-a-{path}"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: Name($"rs-b-{path}"), network: net.Name);
        Assert.True(probes.Ping(a, b, count: 1).Success);
        a.Stop();
        a.Start();
        var again = probes.Ping(a, b, count: 1);
        Assert.True(again.Success, again.ToString());
        Assert.Equal(path, again.Via);
    }

    [Fact]
    public async Task A_helper_removed_behind_our_back_is_replaced()
    {
        await using var lab = await Fx.PortableViewAsync();
        var a = lab.Containers.Run("dockscript/web", name: Name("gone-a"));
        var b = lab.Containers.Run("dockscript/web", name: Name("gone-b"));
        Assert.True(lab.Probes.Ping(a, b, count: 1).Success);
        var helper = (await Lab.Docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true }))
            .Single(c => c.Labels!.TryGetValue("io.dockscript.probe-for", out var id) && id == a.Id);
        await Lab.Docker.Containers.RemoveContainerAsync(helper.ID, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        // The shell's stream ends with the container. A probe sent before the reader has seen that
        // end fails with "stopped answering"; once seen, the next probe starts another helper.
        var clock = Stopwatch.StartNew();
        PingResult? again = null;
        while (again is not { Success: true } && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                again = await lab.Probes.PingAsync(a, b, count: 1);
            }
            catch (DockScriptException e) when (e.Message.Contains("stopped answering", StringComparison.Ordinal))
            {
                // The old shell's end, seen by this probe: the next one gets a new helper.
            }
        }
        Assert.True(again is { Success: true }, again?.ToString());
        var replaced = (await Lab.Docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true }))
            .Single(c => c.Labels!.TryGetValue("io.dockscript.probe-for", out var id) && id == a.Id);
        Assert.NotEqual(helper.ID, replaced.ID);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task Reachability_shows_every_ordered_pair_with_reasons(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"mx-{path}"));
        var a = Containers.Run("dockscript/web", name: Name($"mx-a-{path}"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: Name($"mx-b-{path}"), network: net.Name);
        var c = Containers.Run("dockscript/web", name: Name($"mx-c-{path}"));
        var hermit = Containers.Run("dockscript/toolbox", name: Name($"mx-h-{path}"), network: "none", command: "sleep 3600");

        var matrix = await probes.ReachabilityAsync([a, b, c, hermit], timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(12, matrix.Cells.Count);
        Assert.Equal("ip+name", matrix[a.Name, b.Name].Mark);
        Assert.Equal("ip+name", matrix[b.Name, a.Name].Mark);
        Assert.Equal("-", matrix[a.Name, c.Name].Mark);
        Assert.Contains("share no network", matrix[a.Name, c.Name].ByIp.Reason);
        Assert.Contains("default bridge", matrix[c.Name, a.Name].ByName!.Reason);
        Assert.All(new[] { a, b, c }, x => Assert.Contains("'none' network", matrix[hermit.Name, x.Name].ByIp.Reason));
        Assert.Equal(10, matrix.Failures.Count);
        Assert.Equal("2 of 12 pairs by IP, 2 of 12 by name", matrix.Summary);
        var text = matrix.ToString();
        Assert.Contains("from \\ to", text);
        Assert.Contains($"{a.Name} → {c.Name} by IP: ", text);
    }

    [Fact]
    public void Misuse_is_one_clear_sentence()
    {
        var a = Containers.Run("dockscript/web", name: Name("misuse"));
        Assert.Contains("count of at least 1", Assert.Throws<DockScriptException>(() => Lab.Probes.Ping(a, "127.0.0.1", count: 0)).Message);
        Assert.Contains("positive timeout", Assert.Throws<DockScriptException>(() => Lab.Probes.Ping(a, "127.0.0.1", timeout: TimeSpan.FromSeconds(-1))).Message);
        Assert.Contains("not a URL", Assert.Throws<DockScriptException>(() => Lab.Probes.Curl(a, "http://")).Message);
        Assert.Contains("plain HTTP only", Assert.Throws<DockScriptException>(() => Lab.Probes.Curl(a, "https://example.invalid/")).Message);
        Assert.Contains("needs a target", Assert.Throws<DockScriptException>(() => Lab.Probes.Ping(a, " ")).Message);
        var unknown = Assert.Throws<NotFoundException>(() => Containers[Name("no-such-source")]);
        Assert.Contains(Name("no-such-source"), unknown.Message);
    }

    private static string Unused(Network net)
    {
        var subnet = System.Net.IPNetwork.Parse(net.Subnet!);
        var bytes = subnet.BaseAddress.GetAddressBytes();
        bytes[3] = 250;
        return new IPAddress(bytes).ToString();
    }

    [Fact]
    public async Task Reset_and_cleanup_end_each_probed_container_s_namespace_thread()
    {
        await using var other = await Fx.OtherSessionAsync();
        Assert.True(other.Probes.FastPath);
        var a = await other.Containers.RunAsync("dockscript/web", name: Name("nst-a"));
        var b = await other.Containers.RunAsync("dockscript/web", name: Name("nst-b"));
        var pids = new[] { (await a.InspectAsync()).Pid, (await b.InspectAsync()).Pid };

        async Task ProbeBothWays()
        {
            Assert.True((await other.Probes.PingAsync(a, b, count: 1)).Success);
            Assert.True((await other.Probes.PingAsync(b, a, count: 1)).Success);
            Assert.Equal(2, other.Probes.Pool.NamespaceCount);
            Assert.Equal(2, NamespaceThreads(pids));
        }

        await ProbeBothWays();
        other.ResetProbes(); // what the REPL's #reset calls
        Assert.Equal(0, other.Probes.Pool.NamespaceCount);
        await UntilAsync(() => NamespaceThreads(pids) == 0);

        await ProbeBothWays();
        await other.CleanupAsync();
        Assert.Equal(0, other.Probes.Pool.NamespaceCount);
        await UntilAsync(() => NamespaceThreads(pids) == 0);
    }

    /// <summary>This process's threads named for one of <paramref name="pids"/>' namespaces (Linux names them from Thread.Name).</summary>
    private static int NamespaceThreads(long[] pids)
    {
        var names = pids.Select(p => $"netns {p}").ToHashSet(StringComparer.Ordinal);
        var count = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (names.Contains(File.ReadAllText(Path.Combine(task, "comm")).Trim()))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }
        return count;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// A probe repeated until its result is as expected, or 10 s have passed (then the last result
    /// is returned for the test to report). Each attempt takes the probe's own time; no sleeps.
    /// </summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
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

/// <summary>The probe globals as scripts write them: sources by name, a network's matrix.</summary>
public sealed class ProbeGlobalsTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public void Sources_by_name_and_a_networks_matrix_work_as_scripts_write_them()
    {
        var g = new DockScript.Scripting.ScriptGlobals(Lab);
        var net = Networks.Create(Name("gl-net"));
        var a = Containers.Run("dockscript/web", name: Name("gl-a"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: Name("gl-b"), network: net.Name);

        Assert.True(g.Ping(a.Name, b.Name, count: 1).Success);
        Assert.True(g.Ping(a.Name, b, count: 1).Success);
        Assert.Equal(AnsweredBy.EmbeddedDns, g.Resolve(a.Name, b.Name).AnsweredBy);
        var matrix = g.Reachability(net);
        Assert.Equal([a.Name, b.Name], matrix.Containers.Order());
        Assert.Empty(matrix.Failures);

        // Every probe went into the session's journal, for `dockscript run --json`.
        var kinds = Lab.Journal.Entries.Select(e => e.Kind).ToList();
        Assert.Contains("ping", kinds);
        Assert.Contains("resolve", kinds);
        Assert.Contains("reachability", kinds);

        var unknown = Assert.Throws<NotFoundException>(() => g.Ping(Name("gl-nobody"), b, count: 1));
        Assert.Contains(Name("gl-nobody"), unknown.Message);
        Assert.Contains("needs a source", Assert.Throws<DockScriptException>(() => g.Curl(" ", "http://x/")).Message);
    }
}
