using Docker.DotNet.Models;

namespace DockScript.IntegrationTests;

public sealed class ContainerTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public void S2_S5_a_container_run_without_a_network_is_on_the_default_bridge()
    {
        var web = Containers.Run("dockscript/web", name: Name("plain"));
        Assert.Equal("running", web.State);
        Assert.Equal(["bridge"], web.IPs.Keys);
        Assert.Equal(web.IPs["bridge"], web.IP);
        Assert.True(System.Net.IPNetwork.Parse(Networks["bridge"].Subnet!).Contains(System.Net.IPAddress.Parse(web.IP!)));
        Assert.Equal(["bridge"], web.Networks.Select(n => n.Name));
        Assert.True(web.IsManaged);
        Assert.Equal(Lab.SessionId, web.Labels[LabLabels.Session]);
        Assert.Contains(web.Name, Containers.Select(c => c.Name));
        Assert.Contains(web.Name, Containers.ToString());
    }

    [Fact]
    public async Task S2_S9_containers_on_the_default_bridge_reach_each_other_by_IP()
    {
        var web1 = Containers.Run("dockscript/web", name: Name("nginx1"));
        var web2 = Containers.Run("dockscript/web", name: Name("nginx2"));
        var ping = await web1.ExecAsync(["ping", "-c", "2", "-W", "2", web2.IP!]);
        Assert.True(ping.Success, ping.ToString());
        Assert.Contains("2 packets received", ping.Stdout);
        var page = await WgetAsync(web1, web2.IP!);
        Assert.True(page.Success, page.ToString());
        Assert.Equal(web2.ShortId, page.Stdout.Trim());
    }

    [Fact]
    public async Task S12_default_bridge_has_no_names_but_a_user_network_does()
    {
        var a = Containers.Run("dockscript/web", name: Name("db-a"));
        var b = Containers.Run("dockscript/web", name: Name("db-b"));
        Assert.False((await WgetAsync(a, b.Name)).Success);

        var net = Networks.Create(Name("names"));
        var c = Containers.Run("dockscript/web", name: Name("un-c"), network: net.Name);
        var d = Containers.Run("dockscript/web", name: Name("un-d"), network: net.Name);
        var page = await WgetAsync(c, d.Name);
        Assert.True(page.Success, page.ToString());
        Assert.Equal(d.ShortId, page.Stdout.Trim());
    }

    [Fact]
    public async Task S4_host_network_has_no_own_IP_no_ports_and_serves_on_host_loopback()
    {
        var web = Containers.Run("dockscript/web", name: Name("hostweb"), network: "host");
        Assert.Null(web.IP);
        Assert.Empty(web.IPs);
        Assert.Empty(web.Ports);
        Assert.Equal("host", web.Inspect().NetworkMode);
        var body = await HostGetAsync("http://127.0.0.1:80/");
        Assert.Equal(web.ReadFile("/etc/hostname").Trim(), body.Trim());
        // Same stack, same ports: a second server on :80 cannot bind (the conflict the seed warns of).
        // Run may catch the exit itself, or return just before httpd gives up; either way the reason is the port.
        try
        {
            var second = Containers.Run("dockscript/web", name: Name("hostweb2"), network: "host");
            for (var i = 0; i < 60 && second.State == "running"; i++)
            {
                await Task.Delay(50);
            }
            Assert.Equal("exited", second.State);
            Assert.Contains("in use", second.Logs());
        }
        catch (DockScriptException clash)
        {
            Assert.Contains("exited right after starting", clash.Message);
            Assert.Contains("in use", clash.Message);
            Assert.False(Containers.Exists(Name("hostweb2")));
        }
    }

    [Fact]
    public void S5_none_network_leaves_only_loopback()
    {
        var hermit = Containers.Run("dockscript/toolbox", name: Name("hermit"), network: "none", command: "sleep 3600");
        var other = Containers.Run("dockscript/web", name: Name("reachable"));
        Assert.Null(hermit.IP);
        Assert.Empty(hermit.IPs);
        var only = Assert.Single(hermit.Interfaces);
        Assert.Equal("lo", only.Name);
        Assert.Equal(["127.0.0.1/8"], only.IPv4);
        var ping = hermit.Exec($"ping -c 1 -W 1 {other.IP}");
        Assert.False(ping.Success);
    }

    [Fact]
    public async Task Published_ports_show_and_answer_on_the_host()
    {
        var web = Containers.Run("dockscript/web", name: Name("published"), ports: ["127.0.0.1:18081:80"]);
        var port = Assert.Single(web.Ports);
        Assert.Equal(new PortMapping("127.0.0.1", 18081, 80, "tcp"), port);
        Assert.Equal(web.ShortId, (await HostGetAsync("http://127.0.0.1:18081/")).Trim());
    }

    [Fact]
    public async Task Published_ports_bind_to_loopback_unless_an_address_is_named()
    {
        // An address of this host that is not loopback: the default bridge's own, on its host interface.
        var bridgeName = Networks["bridge"].Options["com.docker.network.bridge.name"];
        var hostAddress = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().Single(i => i.Name == bridgeName)
            .GetIPProperties().UnicastAddresses.First(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).Address;
        var local = Containers.Run("dockscript/web", name: Name("port-local"), ports: ["80"]);
        var open = Containers.Run("dockscript/web", name: Name("port-open"), ports: ["0.0.0.0::80"]);
        var mine = Assert.Single(local.Ports);
        var theirs = Assert.Single(open.Ports);
        Assert.Equal("127.0.0.1", mine.HostIp);
        Assert.Equal("0.0.0.0", theirs.HostIp);

        // Both answer where they are bound, so a refusal below is the binding, not a dead server.
        Assert.Equal(local.ShortId, (await HostGetAsync($"http://127.0.0.1:{mine.HostPort}/")).Trim());
        Assert.Equal(open.ShortId, (await HostGetAsync($"http://{hostAddress}:{theirs.HostPort}/")).Trim());
        using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<System.Net.Http.HttpRequestException>(() => http.GetStringAsync($"http://{hostAddress}:{mine.HostPort}/"));
    }

    [Fact]
    public async Task Run_with_aliases_gives_extra_names_on_a_user_network()
    {
        var net = Networks.Create(Name("run-alias"));
        var api = Containers.Run("dockscript/web", name: Name("ra-web"), network: net.Name, aliases: ["api", "backend"]);
        var client = Containers.Run("dockscript/toolbox", name: Name("ra-client"), network: net.Name);
        foreach (var alias in new[] { "api", "backend" })
        {
            var page = await WgetAsync(client, alias);
            Assert.True(page.Success, page.ToString());
            Assert.Equal(api.ShortId, page.Stdout.Trim());
        }
        var bridge = Assert.Throws<DockScriptException>(() => Containers.Run("dockscript/web", name: Name("ra-bridge"), aliases: ["x"]));
        Assert.Contains("user-defined", bridge.Message);
        Assert.False(Containers.Exists(Name("ra-bridge")));
    }

    [Fact]
    public void Env_command_and_hostname_reach_the_container()
    {
        var c = Containers.Run("dockscript/toolbox", name: Name("env"), command: "sleep 3600", hostname: "labhost",
            env: new Dictionary<string, string> { ["A"] = "1", ["GREETING"] = "hello world" });
        var env = c.Exec("env").Stdout;
        Assert.Contains("A=1", env);
        Assert.Contains("GREETING=hello world", env);
        Assert.Equal("labhost", c.Exec("hostname").Stdout.Trim());
        Assert.Contains("sleep 3600", c.Exec("ps").Stdout);
    }

    [Fact]
    public void Exec_returns_output_and_exit_codes_including_a_missing_program()
    {
        var c = Containers.Run("dockscript/web", name: Name("exec"));
        Assert.Equal(c.ShortId, c.Exec("cat /etc/hostname").Stdout.Trim());
        var piped = c.Exec("echo one two | wc -w");
        Assert.Equal("2", piped.Stdout.Trim());
        var failing = c.Exec("ls /nope");
        Assert.NotEqual(0, failing.ExitCode);
        Assert.Contains("nope", failing.Stderr);

        var bare = Containers.Run(Fx.Bare.Name, name: Name("bare"));
        var missing = bare.Exec("ip addr");
        Assert.True(missing.ProgramMissing, missing.ToString());
    }

    [Fact]
    public void S3_stats_count_traffic_per_interface()
    {
        var web = Containers.Run("dockscript/web", name: Name("stats"));
        var client = Containers.Run("dockscript/toolbox", name: Name("stats-client"));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(client.Exec($"wget -q -O /dev/null http://{web.IP}/").Success);
        }
        var stats = web.Stats();
        var eth0 = Assert.Single(stats.Networks, n => n.Interface == "eth0");
        Assert.True(eth0.RxBytes > 0 && eth0.TxBytes > 0, stats.ToString());
        Assert.True(eth0.RxPackets >= 3);
        Assert.Equal(stats.RxBytes, stats.Networks.Aggregate(0UL, (s, n) => s + n.RxBytes));
        Assert.True(stats.MemoryBytes > 0);
        Assert.True(stats.MemoryLimitBytes >= stats.MemoryBytes);
        Assert.Contains("NET I/O", stats.ToString());

        var onHost = Containers.Run("dockscript/toolbox", name: Name("stats-host"), network: "host");
        Assert.Empty(onHost.Stats().Networks);
    }

    [Fact]
    public void Stop_and_start_change_state_and_keep_the_container()
    {
        var c = Containers.Run("dockscript/web", name: Name("stopstart"));
        c.Stop();
        Assert.Equal("exited", c.State);
        Assert.Null(c.IP);
        Assert.DoesNotContain(c.Name, Containers.Select(x => x.Name));
        Assert.Contains(c.Name, Containers.All.Select(x => x.Name));
        c.Start();
        Assert.Equal("running", c.State);
        Assert.NotNull(c.IP);
        c.Remove();
        Assert.False(Containers.Exists(c.Name));
    }

    [Fact]
    public void A_container_run_without_a_name_gets_the_engines_name()
    {
        var c = Containers.Run("dockscript/toolbox");
        Assert.NotEqual(c.Id, c.Name);
        Assert.Matches("^[a-z]+_[a-z]+$", c.Name);
        Assert.Equal(c.Name, Containers[c.Id].Name);
        Assert.Contains($"{c.Name} (container)", Lab.Created);
    }

    [Fact]
    public void Containers_are_indexed_by_name_and_id_prefix()
    {
        var c = Containers.Run("dockscript/toolbox", name: Name("indexed"));
        Assert.Equal(c.Id, Containers[c.Name].Id);
        Assert.Equal(c, Containers[c.Name]);
        Assert.Contains(c, Containers);
        Assert.Equal(c.Name, Containers[c.Id[..10]].Name);
        var e = Assert.Throws<NotFoundException>(() => Containers[Name("ghost")]);
        Assert.Contains(Name("ghost"), e.Message);
    }

    [Fact]
    public void A_duplicate_container_name_is_a_conflict()
    {
        Containers.Run("dockscript/toolbox", name: Name("twin"));
        var e = Assert.Throws<ConflictException>(() => Containers.Run("dockscript/toolbox", name: Name("twin")));
        Assert.Contains(Name("twin"), e.Message);
        Assert.Single(Containers.All, c => c.Name == Name("twin"));
    }

    [Fact]
    public void Run_on_a_missing_network_or_link_fails_and_creates_nothing()
    {
        var net = Assert.Throws<NotFoundException>(() => Containers.Run("dockscript/web", name: Name("lost"), network: Name("nonet")));
        Assert.Contains(Name("nonet"), net.Message);
        var link = Assert.Throws<NotFoundException>(() => Containers.Run("dockscript/web", name: Name("lost"), links: [Name("nobody")]));
        Assert.Contains(Name("nobody"), link.Message);
        Assert.False(Containers.Exists(Name("lost")));
    }

    [Fact]
    public void Bad_ports_and_names_are_one_sentence()
    {
        var port = Assert.Throws<DockScriptException>(() => Containers.Run("dockscript/web", name: Name("badport"), ports: ["80:abc"]));
        Assert.Contains("80:abc", port.Message);
        var name = Assert.Throws<DockScriptException>(() => Containers.Run("dockscript/web", name: "has space"));
        Assert.Contains("has space", name.Message);
        Assert.False(Containers.Exists(Name("badport")));
    }

    [Fact]
    public void An_image_missing_offline_says_no_registry_is_reachable()
    {
        // A registry on a closed loopback port: the pull fails at once and never leaves the machine.
        var e = Assert.Throws<ImageUnavailableException>(() => Containers.Run("127.0.0.1:9/dockscript-missing:1", name: Name("noimage")));
        Assert.Contains("127.0.0.1:9/dockscript-missing:1", e.Message);
        Assert.Contains("no registry is reachable", e.Message);
        Assert.False(Containers.Exists(Name("noimage")));
    }

    [Fact]
    public async Task A_foreign_container_with_a_clashing_name_survives_everything()
    {
        var foreignName = Name("foreign");
        var created = await Lab.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = foreignName,
            Image = LabImage.Toolbox.Name,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await Lab.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var clash = Assert.Throws<ConflictException>(() => Containers.Run("dockscript/web", name: foreignName));
            Assert.Contains("not created by DockScript", clash.Message);
            var foreign = Containers[foreignName];
            Assert.False(foreign.IsManaged);
            Assert.Throws<ConflictException>(() => foreign.Stop());
            Assert.Throws<ConflictException>(() => foreign.Remove());
            var net = Networks.Create(Name("foreign-join"));
            Assert.Throws<ConflictException>(() => net.Connect(foreign));

            var report = Lab.Cleanup();
            Assert.DoesNotContain(foreignName, report.Containers);
            Assert.Equal("running", Containers[foreignName].State);
        }
        finally
        {
            await Lab.Docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}
