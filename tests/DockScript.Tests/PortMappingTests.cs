namespace DockScript.Tests;

public class PortMappingTests
{
    [Theory]
    [InlineData("80", null, null, 80, "tcp")]
    [InlineData("8080:80", null, 8080, 80, "tcp")]
    [InlineData("8080:80/udp", null, 8080, 80, "udp")]
    [InlineData("127.0.0.1:8080:80", "127.0.0.1", 8080, 80, "tcp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", null, 80, "tcp")]
    [InlineData("[::1]:8080:80", "::1", 8080, 80, "tcp")]
    [InlineData("[::1]::53/UDP", "::1", null, 53, "udp")]
    [InlineData(" 9000:9000/sctp ", null, 9000, 9000, "sctp")]
    public void Parses_every_docker_run_p_form(string spec, string? hostIp, int? hostPort, int containerPort, string protocol)
    {
        Assert.Equal(new PortMapping(hostIp, hostPort, containerPort, protocol), PortMapping.Parse(spec));
    }

    [Theory]
    [InlineData("8080:80", "0.0.0.0:8080->80/tcp")]
    [InlineData("127.0.0.1:5353:53/udp", "127.0.0.1:5353->53/udp")]
    [InlineData("[::1]:8080:80", "[::1]:8080->80/tcp")]
    [InlineData("80", "0.0.0.0:*->80/tcp")]
    public void Prints_like_docker_ps(string spec, string expected)
    {
        Assert.Equal(expected, PortMapping.Parse(spec).ToString());
    }

    [Fact]
    public void Key_is_container_port_and_protocol()
    {
        Assert.Equal("53/udp", PortMapping.Parse("127.0.0.1:5353:53/udp").Key);
    }

    [Fact]
    public void Non_numeric_port_message_quotes_the_spec_and_shows_the_form()
    {
        var error = Assert.Throws<FormatException>(() => PortMapping.Parse("80:abc"));

        Assert.Equal("'80:abc' is not a port mapping; write it as HOST:CONTAINER, e.g. \"8080:80\".", error.Message);
    }

    [Theory]
    [InlineData("0:80", "port 0")]
    [InlineData("8080:65536", "port 65536")]
    [InlineData("8080:80/icmp", "'icmp'")]
    [InlineData("", "HOST:CONTAINER")]
    [InlineData("::1:8080:80", "[::1]:8080:80")]
    [InlineData("localhost:8080:80", "'localhost'")]
    [InlineData("[::1:8080:80", "[IP]:HOST:CONTAINER")]
    [InlineData("8000-8010:80", "HOST:CONTAINER")]
    [InlineData("8080:-80", "HOST:CONTAINER")]
    public void Invalid_specs_throw_one_sentence_that_quotes_the_input(string spec, string hint)
    {
        var error = Assert.Throws<FormatException>(() => PortMapping.Parse(spec));

        Assert.StartsWith($"'{spec}' ", error.Message);
        Assert.Contains(hint, error.Message);
        Assert.EndsWith(".", error.Message);
        Assert.DoesNotContain(". ", error.Message.Replace("e.g. ", ""));
    }
}
