using System.Net;

namespace DockScript.Tests;

public class CidrTests
{
    [Theory]
    [InlineData("10.30.0.0/24", "10.30.0.0", 24)]
    [InlineData(" 172.18.0.0/16 ", "172.18.0.0", 16)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("fd00:30::/64", "fd00:30::", 64)]
    public void Parses_network_addresses(string text, string address, int prefix)
    {
        Assert.Equal(new IPNetwork(IPAddress.Parse(address), prefix), Cidr.ParseSubnet(text));
    }

    [Fact]
    public void Host_bits_set_suggests_the_network_address()
    {
        var error = Assert.Throws<FormatException>(() => Cidr.ParseSubnet("10.30.0.1/24"));

        Assert.Equal("'10.30.0.1/24' has host bits set after the /24 prefix; use the network address 10.30.0.0/24.", error.Message);
    }

    [Fact]
    public void Host_bits_set_in_IPv6_suggests_the_network_address()
    {
        var error = Assert.Throws<FormatException>(() => Cidr.ParseSubnet("fd00:30::1/64"));

        Assert.Contains("fd00:30::/64", error.Message);
        Assert.Contains("'fd00:30::1/64'", error.Message);
    }

    [Theory]
    [InlineData("10.30.0.0/33", "0–32 for IPv4")]
    [InlineData("fd00::/129", "0–128 for IPv6")]
    public void Prefix_too_long_says_the_allowed_range(string text, string range)
    {
        var error = Assert.Throws<FormatException>(() => Cidr.ParseSubnet(text));

        Assert.StartsWith($"'{text}' has prefix", error.Message);
        Assert.Contains(range, error.Message);
    }

    [Theory]
    [InlineData("backend")]
    [InlineData("10.30.0.0")]
    [InlineData("10.30/16")]
    [InlineData("10.30.0.0/")]
    [InlineData("10.30.0.0/-1")]
    [InlineData("")]
    public void Anything_else_gets_the_general_hint(string text)
    {
        var error = Assert.Throws<FormatException>(() => Cidr.ParseSubnet(text));

        Assert.Equal($"'{text}' is not a CIDR subnet; write it like 10.30.0.0/24.", error.Message);
    }
}
