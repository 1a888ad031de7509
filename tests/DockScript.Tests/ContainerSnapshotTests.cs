using Docker.DotNet.Models;

namespace DockScript.Tests;

public class ContainerSnapshotTests
{
    private static ContainerInspectResponse Inspect(
        string networkMode,
        Dictionary<string, string> networks,
        Dictionary<string, IList<PortBinding>>? ports = null) => new()
    {
        ID = "4f1c0ffee0000000000000000000000000000000000000000000000000000000",
        Name = "/nginx1",
        Image = "sha256:abc",
        State = new State { Status = "running", Pid = 4242 },
        Config = new ContainerConfig
        {
            Image = "dockscript/web",
            Labels = new Dictionary<string, string> { ["io.dockscript"] = "true" },
        },
        HostConfig = new HostConfig { NetworkMode = networkMode },
        NetworkSettings = new NetworkSettings
        {
            Networks = networks.ToDictionary(kv => kv.Key, kv => new EndpointSettings { IPAddress = kv.Value }),
            Ports = ports!,
        },
    };

    [Theory]
    [InlineData("/web/db", "/db1")]
    [InlineData("/db1", "/web/db")]
    [InlineData("/api/legacy", "/db1", "/web/db")]
    public void A_listed_container_others_link_to_keeps_its_own_name(params string[] names)
    {
        var listed = FromDocker.Container(new ContainerListResponse { ID = new string('a', 64), Names = names, Image = "dockscript/web", State = "running" });

        Assert.Equal("db1", listed.Name);
    }

    [Fact]
    public void Name_loses_its_leading_slash_and_state_is_copied()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("default", new() { ["bridge"] = "172.17.0.2" })));

        Assert.Equal("nginx1", snapshot.Name);
        Assert.Equal("dockscript/web", snapshot.Image);
        Assert.Equal("running", snapshot.State);
        Assert.True(snapshot.Running);
        Assert.Equal(4242, snapshot.Pid);
        Assert.Equal("true", snapshot.Labels["io.dockscript"]);
    }

    [Fact]
    public void Default_mode_picks_the_bridge_address_even_when_another_network_sorts_first()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("default", new() { ["alpha"] = "10.0.0.5", ["bridge"] = "172.17.0.2" })));

        Assert.Equal("172.17.0.2", snapshot.IP);
        Assert.Equal(2, snapshot.IPs.Count);
        Assert.Equal("10.0.0.5", snapshot.IPs["alpha"]);
    }

    [Fact]
    public void User_network_mode_picks_that_networks_address()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("lab-net", new() { ["a-net"] = "10.1.0.2", ["lab-net"] = "10.30.0.2" })));

        Assert.Equal("10.30.0.2", snapshot.IP);
    }

    [Fact]
    public void Container_only_on_a_user_network_has_that_address()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("lab-net", new() { ["lab-net"] = "10.30.0.2" })));

        Assert.Equal("10.30.0.2", snapshot.IP);
        Assert.Equal("10.30.0.2", Assert.Single(snapshot.IPs).Value);
    }

    [Fact]
    public void Start_network_left_falls_back_to_the_first_remaining_network()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("lab-net", new() { ["zeta"] = "10.9.0.2", ["beta"] = "10.2.0.2" })));

        Assert.Equal("10.2.0.2", snapshot.IP);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("none")]
    public void Host_and_none_have_no_address(string mode)
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect(mode, new() { [mode] = "" })));

        Assert.Null(snapshot.IP);
        Assert.Empty(snapshot.IPs);
        Assert.Equal(mode, snapshot.NetworkMode);
    }

    [Fact]
    public void Published_port_becomes_a_mapping()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("default", new() { ["bridge"] = "172.17.0.2" }, new()
        {
            ["80/tcp"] = [new PortBinding { HostIP = "0.0.0.0", HostPort = "8080" }],
        })));

        Assert.Equal(new PortMapping("0.0.0.0", 8080, 80, "tcp"), Assert.Single(snapshot.Ports));
    }

    [Fact]
    public void Exposed_but_unpublished_port_is_not_listed()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("default", new() { ["bridge"] = "172.17.0.2" }, new()
        {
            ["80/tcp"] = null!,
            ["53/udp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "5353" }],
        })));

        Assert.Equal(new PortMapping("127.0.0.1", 5353, 53, "udp"), Assert.Single(snapshot.Ports));
    }

    [Fact]
    public void Ports_are_ordered_by_container_port_then_host_address()
    {
        var snapshot = ContainerSnapshot.From(FromDocker.Container(Inspect("default", new() { ["bridge"] = "172.17.0.2" }, new()
        {
            ["443/tcp"] = [new PortBinding { HostIP = "::", HostPort = "8443" }, new PortBinding { HostIP = "0.0.0.0", HostPort = "8443" }],
            ["80/tcp"] = [new PortBinding { HostIP = "", HostPort = "8080" }],
        })));

        Assert.Equal(
            new[]
            {
                new PortMapping(null, 8080, 80, "tcp"),
                new PortMapping("0.0.0.0", 8443, 443, "tcp"),
                new PortMapping("::", 8443, 443, "tcp"),
            },
            snapshot.Ports);
    }
}
