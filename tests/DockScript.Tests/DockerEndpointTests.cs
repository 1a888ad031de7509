namespace DockScript.Tests;

public class DockerEndpointTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_value_means_the_default_local_socket(string value)
    {
        var endpoint = DockerEndpoint.FromEnvironment(value);

        Assert.Equal("unix:///var/run/docker.sock", endpoint.ToString());
        Assert.Equal("unix", endpoint.Uri.Scheme);
        Assert.Equal("/var/run/docker.sock", endpoint.Uri.AbsolutePath);
        Assert.True(endpoint.IsLocal);
    }

    [Fact]
    public void Null_value_defers_to_DOCKER_HOST_or_the_default()
    {
        var fromVariable = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var expected = string.IsNullOrWhiteSpace(fromVariable) ? DockerEndpoint.DefaultSocket : fromVariable.Trim();

        Assert.Equal(new Uri(expected), DockerEndpoint.FromEnvironment(null).Uri);
    }

    [Fact]
    public void Tcp_address_is_remote()
    {
        var endpoint = DockerEndpoint.FromEnvironment("tcp://h:2375");

        Assert.False(endpoint.IsLocal);
        Assert.Equal("tcp", endpoint.Uri.Scheme);
        Assert.Equal("h", endpoint.Uri.Host);
        Assert.Equal(2375, endpoint.Uri.Port);
    }

    [Fact]
    public void Custom_unix_socket_is_local_and_surrounding_spaces_are_ignored()
    {
        var endpoint = DockerEndpoint.FromEnvironment("  unix:///run/user/1000/docker.sock ");

        Assert.True(endpoint.IsLocal);
        Assert.Equal("/run/user/1000/docker.sock", endpoint.Uri.AbsolutePath);
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("ftp://x")]
    [InlineData("/var/run/docker.sock")]
    public void Unusable_value_is_refused_naming_DOCKER_HOST(string value)
    {
        var error = Assert.Throws<DockScriptException>(() => DockerEndpoint.FromEnvironment(value));

        Assert.StartsWith($"DOCKER_HOST='{value}' is not an engine address DockScript understands", error.Message);
        Assert.Contains("unix:///path/to/docker.sock or tcp://host:2375", error.Message);
    }
}
