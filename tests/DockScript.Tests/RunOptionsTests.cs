namespace DockScript.Tests;

public class RunOptionsTests
{
    private static RunOptions Bind(string image = "dockscript/web", string? name = null, string? network = null, IEnumerable<string>? ports = null,
        string? command = null, IEnumerable<string>? aliases = null, IReadOnlyDictionary<string, string>? env = null) =>
        RunOptions.Bind(image, name, network, null, command, ports, env, aliases, null, null, null);

    [Fact]
    public void A_port_without_an_address_binds_to_loopback_only()
    {
        var run = Bind(ports: ["8080:80", "9090:90/udp"]);
        Assert.Equal([new PortMapping("127.0.0.1", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 9090, 90, "udp")], run.Ports);
    }

    [Fact]
    public void A_named_address_is_kept()
    {
        var run = Bind(ports: ["0.0.0.0:8080:80", "[::1]:8081:80", "192.0.2.7::80"]);
        Assert.Equal(["0.0.0.0", "::1", "192.0.2.7"], run.Ports.Select(p => p.HostIp));
    }

    [Fact]
    public void Defaults_mean_the_default_bridge_and_the_image_s_own_command()
    {
        var run = Bind();
        Assert.Equal("bridge", run.Network);
        Assert.Null(run.Command);
        Assert.Empty(run.Ports);
        Assert.Equal("bridge", Bind(network: "default").Network);
    }

    [Fact]
    public void Command_and_env_are_bound_once()
    {
        var run = Bind(command: "sleep 5", env: new Dictionary<string, string> { ["A"] = "1" });
        Assert.Equal(["sleep", "5"], run.Command);
        Assert.Equal(["A=1"], run.Env);
        Assert.Equal(["/bin/sh", "-c", "echo hi | wc -c"], Bind(command: "echo hi | wc -c").Command);
    }

    [Theory]
    [InlineData("", null, null, "Run needs an image")]
    [InlineData("dockscript/web", "-bad", null, "is not a valid container name")]
    [InlineData("dockscript/web", null, "80:abc", "80:abc")]
    public void Bad_arguments_are_one_sentence(string image, string? name, string? port, string expected)
    {
        var e = Assert.Throws<DockScriptException>(() => Bind(image, name, ports: port is null ? null : [port]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Aliases_need_a_user_defined_network()
    {
        var e = Assert.Throws<DockScriptException>(() => Bind(aliases: ["api"]));
        Assert.Contains("Aliases need a user-defined network", e.Message);
        Assert.Equal(["api"], Bind(network: "my-network", aliases: ["api"]).Aliases);
    }

    [Fact]
    public void The_busybox_source_container_carries_the_session_labels()
    {
        var spec = Images.BusyboxSource(extra => LabLabels.For("abc123", extra));
        Assert.Equal("abc123", spec.Labels[LabLabels.Session]);
        Assert.Equal("true", spec.Labels[LabLabels.Managed]);
        Assert.Equal("busybox-source", spec.Labels[LabLabels.Role]);
    }
}
