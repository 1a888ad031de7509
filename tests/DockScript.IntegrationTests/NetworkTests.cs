namespace DockScript.IntegrationTests;

public sealed class NetworkTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public void S1_lists_the_default_networks_with_driver_scope_and_subnet()
    {
        var all = Networks.ToDictionary(n => n.Name);
        Assert.Equal("bridge", all["bridge"].Driver);
        Assert.Equal("host", all["host"].Driver);
        Assert.Equal("null", all["none"].Driver);
        Assert.All(new[] { "bridge", "host", "none" }, n => Assert.Equal("local", all[n].Scope));
        Assert.NotNull(all["bridge"].Subnet);
        Assert.True(System.Net.IPNetwork.TryParse(all["bridge"].Subnet, out _));
        Assert.Null(all["none"].Subnet);
        Assert.Contains("bridge", Networks.ToString());
    }

    [Fact]
    public void S1_a_created_network_shows_in_the_list()
    {
        var net = Networks.Create(Name("listed"));
        Assert.Contains(Networks, n => n.Id == net.Id && n.Name == net.Name);
    }

    [Fact]
    public void Networks_are_indexed_by_name_and_by_id_prefix()
    {
        var bridge = Networks["bridge"];
        Assert.Equal("bridge", Networks[bridge.Id[..8]].Name);
        Assert.Equal(bridge.Id, Networks.Get(bridge.Id).Id);
        Assert.Equal(bridge, Networks["bridge"]);
        Assert.NotEqual(bridge, Networks["host"]);
    }

    [Fact]
    public void S12_creates_a_labelled_user_defined_bridge_network()
    {
        var net = Networks.Create(Name("mynet"));
        Assert.Equal(Name("mynet"), net.Name);
        Assert.Equal("bridge", net.Driver);
        Assert.Equal("local", net.Scope);
        Assert.NotNull(net.Subnet);
        Assert.NotNull(net.Gateway);
        Assert.False(net.Internal);
        Assert.True(net.IsManaged);
        Assert.Equal(Lab.SessionId, net.Labels[LabLabels.Session]);
        Assert.Contains($"{net.Name} (network)", Lab.Created);
    }

    [Fact]
    public void Creates_an_internal_network_with_a_chosen_subnet_and_gateway()
    {
        var net = Networks.Create(Name("backend"), subnet: "10.231.7.0/24", gateway: "10.231.7.254", @internal: true);
        Assert.Equal("10.231.7.0/24", net.Subnet);
        Assert.Equal("10.231.7.254", net.Gateway);
        Assert.True(net.Internal);
        Assert.False(net.IpMasquerade);
        var c = Containers.Run("dockscript/toolbox", name: Name("inside"), network: net.Name);
        Assert.StartsWith("10.231.7.", c.IP);
    }

    [Fact]
    public void S7_masquerade_is_on_for_the_default_bridge_and_can_be_turned_off()
    {
        Assert.True(Networks["bridge"].IpMasquerade);
        Assert.Equal("true", Networks["bridge"].Options["com.docker.network.bridge.enable_ip_masquerade"]);
        Assert.True(Networks.Create(Name("masq")).IpMasquerade);
        Assert.False(Networks.Create(Name("nomasq"), ipMasquerade: false).IpMasquerade);
        Assert.False(Networks["host"].IpMasquerade);
        Assert.False(Networks["none"].IpMasquerade);
    }

    [Theory]
    [InlineData("10.30.0.0/33", "prefix")]
    [InlineData("10.30.0.1/24", "10.30.0.0/24")]
    [InlineData("banana", "CIDR")]
    public void A_bad_CIDR_is_one_clear_sentence_and_creates_nothing(string subnet, string hint)
    {
        var e = Assert.Throws<DockScriptException>(() => Networks.Create(Name("badcidr"), subnet: subnet));
        Assert.Contains(subnet, e.Message);
        Assert.Contains(hint, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(Networks.Exists(Name("badcidr")));
    }

    [Fact]
    public void A_gateway_outside_the_subnet_is_refused()
    {
        var e = Assert.Throws<DockScriptException>(() => Networks.Create(Name("badgw"), subnet: "10.231.8.0/24", gateway: "10.9.9.9"));
        Assert.Contains("10.9.9.9", e.Message);
        Assert.False(Networks.Exists(Name("badgw")));
    }

    [Fact]
    public void A_duplicate_name_is_a_conflict()
    {
        Networks.Create(Name("dup"));
        var e = Assert.Throws<ConflictException>(() => Networks.Create(Name("dup")));
        Assert.Contains(Name("dup"), e.Message);
        Assert.Single(Networks, n => n.Name == Name("dup"));
    }

    [Fact]
    public async Task Two_sessions_cannot_both_create_one_name()
    {
        await using var other = await Fx.OtherSessionAsync();
        for (var round = 0; round < 3; round++)
        {
            var name = Name($"race{round}");
            var attempts = await Task.WhenAll(Try(Lab), Try(other));
            Assert.Single(attempts, a => a is null);
            Assert.IsType<ConflictException>(Assert.Single(attempts, a => a is not null));
            Assert.Single(await Lab.Gateway.Networks.ListAsync(default, name: name), n => n.Name == name);

            async Task<Exception?> Try(Lab lab)
            {
                try
                {
                    await lab.Networks.CreateAsync(name);
                    return null;
                }
                catch (ConflictException e)
                {
                    return e;
                }
            }
        }
        await other.CleanupAsync();
    }

    [Fact]
    public async Task A_foreign_network_is_never_touched()
    {
        var foreignName = Name("foreign-net");
        var created = await Lab.Docker.Networks.CreateNetworkAsync(new Docker.DotNet.Models.NetworksCreateParameters { Name = foreignName, Driver = "bridge" });
        try
        {
            var clash = Assert.Throws<ConflictException>(() => Networks.Create(foreignName));
            Assert.Contains("not created by DockScript", clash.Message);
            var refuse = Assert.Throws<ConflictException>(() => Networks[foreignName].Remove());
            Assert.Contains("will not remove", refuse.Message);
            await Lab.CleanupAsync();
            Assert.True(Networks.Exists(foreignName));
        }
        finally
        {
            await Lab.Docker.Networks.DeleteNetworkAsync(created.ID);
        }
    }

    [Fact]
    public void A_missing_network_is_one_sentence()
    {
        var e = Assert.Throws<NotFoundException>(() => Networks[Name("nope")]);
        Assert.Contains(Name("nope"), e.Message);
        Assert.Contains("Networks.Create", e.Message);
    }

    [Fact]
    public void Removing_a_network_with_members_is_refused_until_they_leave()
    {
        var net = Networks.Create(Name("busy"));
        var c = Containers.Run("dockscript/toolbox", name: Name("member"), network: net.Name);
        var e = Assert.Throws<ConflictException>(() => net.Remove());
        Assert.Contains(c.Name, e.Message);
        Assert.True(Networks.Exists(net.Name));
        c.Remove();
        net.Remove();
        Assert.False(Networks.Exists(net.Name));
    }

    [Fact]
    public void S6_network_members_map_names_to_addresses()
    {
        var net = Networks.Create(Name("members"), subnet: "10.231.9.0/24");
        var a = Containers.Run("dockscript/web", name: Name("m-a"), network: net.Name);
        var b = Containers.Run("dockscript/web", name: Name("m-b"), network: net.Name);
        var members = net.Containers;
        Assert.Equal(2, members.Count);
        Assert.Equal(a.IP, members[a.Name]);
        Assert.Equal(b.IP, members[b.Name]);
        Assert.StartsWith("10.231.9.", members[a.Name]);
        Assert.Equal(a.IP, Networks["bridge"].Containers.GetValueOrDefault(a.Name) ?? a.IPs[net.Name]);
    }

    [Fact]
    public async Task S13_connect_and_disconnect_change_membership_and_reachability()
    {
        var net = Networks.Create(Name("cd"));
        var web = Containers.Run("dockscript/web", name: Name("cd-web"));
        var client = Containers.Run("dockscript/toolbox", name: Name("cd-client"), network: net.Name);

        Assert.False((await WgetAsync(client, web.Name)).Success);
        net.Connect(web);
        Assert.Equal(new[] { "bridge", net.Name }.Order(), web.IPs.Keys.Order());
        Assert.Contains(web.Name, net.Containers.Keys);
        var page = (await WgetAsync(client, web.Name));
        Assert.True(page.Success, page.ToString());
        Assert.Equal(web.ShortId, page.Stdout.Trim());

        var twice = Assert.Throws<ConflictException>(() => net.Connect(web));
        Assert.Contains("already connected", twice.Message);

        net.Disconnect(web.Name);
        Assert.DoesNotContain(web.Name, net.Containers.Keys);
        Assert.Equal(["bridge"], web.IPs.Keys);
        Assert.False((await WgetAsync(client, web.Name)).Success);
    }

    [Fact]
    public async Task Connect_with_aliases_adds_names_on_the_network()
    {
        var net = Networks.Create(Name("alias"));
        var web = Containers.Run("dockscript/web", name: Name("al-web"));
        var client = Containers.Run("dockscript/toolbox", name: Name("al-client"), network: net.Name);
        net.Connect(web.Name, aliases: ["api"]);
        var page = (await WgetAsync(client, "api"));
        Assert.True(page.Success, page.ToString());
        Assert.Equal(web.ShortId, page.Stdout.Trim());
    }

    [Fact]
    public void Aliases_on_a_predefined_network_are_refused()
    {
        var web = Containers.Run("dockscript/toolbox", name: Name("al-bridge"), network: "none");
        var e = Assert.Throws<DockScriptException>(() => Networks["bridge"].Connect(web, aliases: ["x"]));
        Assert.Contains("user-defined", e.Message);
    }
}
