using Docker.DotNet.Models;

namespace DockScript.Tests;

public class NetworkTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Network Make(
        string name = "lab-net", string driver = "bridge", bool isInternal = false,
        Dictionary<string, string>? options = null, Dictionary<string, string>? labels = null,
        params (string Subnet, string Gateway)[] ipam) => new(null!, FromDocker.Network(new NetworkResponse
    {
        Name = name,
        ID = Id,
        Driver = driver,
        Scope = "local",
        Internal = isInternal,
        Options = options!,
        Labels = labels!,
        IPAM = new IPAM { Driver = "default", Config = ipam.Select(c => new IPAMConfig { Subnet = c.Subnet, Gateway = c.Gateway }).ToList() },
    }));

    [Fact]
    public void Bridge_without_the_option_masquerades()
    {
        Assert.True(Make(options: new() { ["com.docker.network.bridge.name"] = "br-lab" }).IpMasquerade);
        Assert.True(Make().IpMasquerade);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("true", true)]
    [InlineData("nonsense", false)]
    public void Bridge_masquerade_follows_the_option(string value, bool expected)
    {
        var net = Make(options: new() { ["com.docker.network.bridge.enable_ip_masquerade"] = value });

        Assert.Equal(expected, net.IpMasquerade);
    }

    [Fact]
    public void Internal_bridge_does_not_masquerade()
    {
        Assert.False(Make(isInternal: true).IpMasquerade);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("host")]
    [InlineData("macvlan")]
    public void Other_drivers_do_not_masquerade(string driver)
    {
        Assert.False(Make(driver: driver).IpMasquerade);
    }

    [Fact]
    public void Subnet_and_gateway_come_from_IPAM()
    {
        var net = Make(ipam: ("10.30.0.0/24", "10.30.0.1"));

        Assert.Equal("10.30.0.0/24", net.Subnet);
        Assert.Equal("10.30.0.1", net.Gateway);
    }

    [Fact]
    public void IPv4_config_is_preferred_when_an_IPv6_one_comes_first()
    {
        var net = Make(ipam: [("fd00:30::/64", "fd00:30::1"), ("10.30.0.0/24", "10.30.0.1")]);

        Assert.Equal("10.30.0.0/24", net.Subnet);
        Assert.Equal("10.30.0.1", net.Gateway);
    }

    [Fact]
    public void No_IPAM_config_means_no_subnet_or_gateway()
    {
        var net = Make(name: "host", driver: "host");

        Assert.Null(net.Subnet);
        Assert.Null(net.Gateway);
    }

    [Fact]
    public void Empty_gateway_is_reported_as_null()
    {
        var net = Make(ipam: ("10.30.0.0/24", ""));

        Assert.Equal("10.30.0.0/24", net.Subnet);
        Assert.Null(net.Gateway);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void IsManaged_reads_the_dockscript_label(string value, bool expected)
    {
        Assert.Equal(expected, Make(labels: new() { ["io.dockscript"] = value }).IsManaged);
    }

    [Fact]
    public void Network_without_labels_is_not_managed()
    {
        Assert.False(Make().IsManaged);
        Assert.False(Make(labels: new() { ["io.dockscript.session"] = "abc" }).IsManaged);
    }

    [Theory]
    [InlineData("bridge", true)]
    [InlineData("host", true)]
    [InlineData("none", true)]
    [InlineData("lab-net", false)]
    public void Predefined_networks_are_bridge_host_and_none(string name, bool expected)
    {
        Assert.Equal(expected, Make(name: name).IsPredefined);
    }

    [Fact]
    public void ToString_shows_short_id_driver_scope_subnet_and_internal()
    {
        Assert.Equal("lab-net (0123456789ab) bridge/local 10.30.0.0/24 internal", Make(isInternal: true, ipam: ("10.30.0.0/24", "10.30.0.1")).ToString());
        Assert.Equal("none (0123456789ab) null/local", Make(name: "none", driver: "null").ToString());
    }

    [Fact]
    public void Row_matches_the_headers()
    {
        var net = Make(ipam: ("10.30.0.0/24", "10.30.0.1"));

        Assert.Equal(new[] { "0123456789ab", "lab-net", "bridge", "local", "10.30.0.0/24", "" }, net.Row());
        Assert.Equal(Network.Headers.Length, net.Row().Count);
    }
}
