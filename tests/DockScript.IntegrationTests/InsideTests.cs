namespace DockScript.IntegrationTests;

/// <summary>What a container sees from inside: interfaces, /etc/hosts, resolv.conf.</summary>
public sealed class InsideTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public async Task S6_interfaces_of_the_web_image_match_the_engine()
    {
        var web = Containers.Run("dockscript/web", name: Name("if-web"));
        var interfaces = web.Interfaces;
        Assert.Equal(["lo", "eth0"], interfaces.Select(i => i.Name));
        var eth0 = interfaces[1];
        var raw = (await Lab.Docker.Containers.InspectContainerAsync(web.Id)).NetworkSettings!.Networks!["bridge"];
        Assert.Equal([$"{raw.IPAddress}/{raw.IPPrefixLen}"], eth0.IPv4);
        Assert.Equal(raw.MacAddress, eth0.MacAddress);
        Assert.True(eth0.IsUp);
        Assert.True(eth0.Mtu > 0);
    }

    [Fact]
    public async Task Interfaces_read_through_the_engine_match_the_host_proc_path()
    {
        var net = Networks.Create(Name("if-net"), subnet: "10.231.10.0/24");
        var web = Containers.Run("dockscript/web", name: Name("if-both"), network: net.Name);
        await using var portable = await Fx.PortableViewAsync();
        var fast = web.Interfaces;
        var slow = await portable.Containers[web.Name].GetInterfacesAsync();
        Assert.Equal(fast.Select(i => (i.Name, string.Join(",", i.IPv4), i.MacAddress, i.Mtu)),
                     slow.Select(i => (i.Name, string.Join(",", i.IPv4), i.MacAddress, i.Mtu)));
        Assert.Contains(slow, i => i.IPv4.Contains($"{web.IP}/24"));
    }

    [Theory]
    [InlineData("bare")]   // busybox alone: no shell, no cat, no ip
    [InlineData("shell")]  // a shell but no cat: exec runs, yet reads nothing
    public async Task Interfaces_work_on_images_that_cannot_read_proc_themselves(string kind)
    {
        var image = kind == "bare" ? Fx.Bare : Fx.ShellOnly;
        var c = Containers.Run(image.Name, name: Name($"if-{kind}"));
        Assert.True(c.Exec("cat /proc/net/dev").ProgramMissing);
        await using var portable = await Fx.PortableViewAsync();
        var viaHelper = await portable.Containers[c.Name].GetInterfacesAsync();
        Assert.Equal(["lo", "eth0"], viaHelper.Select(i => i.Name));
        Assert.Equal([$"{c.IP}/16"], viaHelper[1].IPv4);
        Assert.Equal(["lo", "eth0"], c.Interfaces.Select(i => i.Name));
        // No throw-away helper is left behind: the probe helper that answered is plumbing, not listed.
        Assert.DoesNotContain(Containers.All, x => x.Labels.GetValueOrDefault(LabLabels.Role) == "helper");
    }

    [Fact]
    public void Interfaces_of_a_stopped_container_is_a_clear_error()
    {
        var c = Containers.Run("dockscript/web", name: Name("if-stopped"));
        c.Stop();
        var e = Assert.Throws<DockScriptException>(() => c.Interfaces);
        Assert.Contains("not running", e.Message);
        // Files still read: they come through the engine's archive API, not from a process.
        Assert.Equal(c.ShortId, c.ReadFile("/etc/hostname").Trim());
        Assert.Contains("127.0.0.1", c.Hosts.Lookup("localhost"));
    }

    [Fact]
    public async Task S11_a_link_writes_the_target_into_hosts_and_reaches_it_by_name()
    {
        var web1 = Containers.Run("dockscript/web", name: Name("link-target"));
        var web3 = Containers.Run("dockscript/web", name: Name("link-source"), links: [web1.Name]);
        var hosts = web3.Hosts;
        Assert.Equal([web1.IP!], hosts.Lookup(web1.Name));
        Assert.Contains(hosts.Entries, e => e.Address == web1.IP && e.Names.Contains(web1.ShortId));
        var page = await WgetAsync(web3, web1.Name);
        Assert.True(page.Success, page.ToString());
        Assert.Equal(web1.ShortId, page.Stdout.Trim());
        // The link is one-way: web1's hosts file knows nothing of web3.
        Assert.Empty(web1.Hosts.Lookup(web3.Name));
    }

    [Fact]
    public void A_link_alias_is_written_under_the_alias()
    {
        var web1 = Containers.Run("dockscript/web", name: Name("alias-target"));
        var web3 = Containers.Run("dockscript/toolbox", name: Name("alias-source"), links: [$"{web1.Name}:db"]);
        Assert.Equal([web1.IP!], web3.Hosts.Lookup("db"));
    }

    [Fact]
    public void A_link_on_a_user_network_is_kept_and_its_alias_resolves_through_the_embedded_DNS()
    {
        // The engine drops HostConfig.Links on a user network: the link must ride on the endpoint.
        var net = Networks.Create(Name("linknet"));
        var db = Containers.Run("dockscript/web", name: Name("linknet-db"), network: net.Name);
        var web = Containers.Run("dockscript/toolbox", name: Name("linknet-web"), network: net.Name, links: [$"{db.Name}:database"]);
        var topology = new Scripting.ScriptGlobals(Lab).Topology(db, web);
        Assert.Equal(new TopologyLink(db.Name, "database"), topology.Container(web.Name)!.Links.Single());
        var lookup = web.Exec("nslookup database");
        Assert.True(lookup.Success, lookup.ToString());
        Assert.Contains(db.IP!, lookup.Stdout);
        // Only the linking container knows the alias.
        Assert.False(db.Exec("nslookup database").Stdout.Contains(db.IP!, StringComparison.Ordinal));
    }

    [Fact]
    public void S14_resolv_conf_on_a_user_network_names_the_embedded_DNS()
    {
        var net = Networks.Create(Name("dns"));
        var c = Containers.Run("dockscript/toolbox", name: Name("dns-user"), network: net.Name);
        Assert.Equal(["127.0.0.11"], c.ResolvConf.Nameservers);
        Assert.True(c.ResolvConf.UsesEmbeddedDns);
        var lookup = c.Exec($"nslookup {c.Name}");
        Assert.True(lookup.Success, lookup.ToString());
        Assert.Contains("127.0.0.11", lookup.Stdout);
        Assert.Contains(c.IP!, lookup.Stdout);
    }

    [Fact]
    public void S14_resolv_conf_on_the_default_bridge_has_no_embedded_DNS()
    {
        var c = Containers.Run("dockscript/toolbox", name: Name("dns-bridge"));
        Assert.False(c.ResolvConf.UsesEmbeddedDns);
        Assert.Equal(["127.0.0.1"], c.ResolvConf.Nameservers);
    }

    [Fact]
    public void ReadFile_reads_any_image_and_names_a_missing_file()
    {
        var bare = Containers.Run(Fx.Bare.Name, name: Name("read"));
        Assert.Equal(bare.ShortId, bare.ReadFile("/etc/hostname").Trim());
        var e = Assert.Throws<NotFoundException>(() => bare.ReadFile("/etc/nope"));
        Assert.Contains("/etc/nope", e.Message);
    }
}
