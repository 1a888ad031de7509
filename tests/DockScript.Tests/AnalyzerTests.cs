using DockScript.Scripting;

namespace DockScript.Tests;

/// <summary>DockScript's analyzers on real script compilations; no engine is touched.</summary>
public sealed class AnalyzerTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    // Local functions shaped like the probe globals: DS0003 judges calls by name, whatever they
    // bind to, and reads positional arguments through the binding as well as named ones.
    private const string ProbeStubs =
        "object Ping(string from, string to, int count = 4, TimeSpan? timeout = null) => null;\n" +
        "object Curl(string from, string url, TimeSpan? timeout = null) => null;\n" +
        "object Resolve(string from, string name, TimeSpan? timeout = null) => null;\n";

    private async Task<(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)> CheckAsync(string source)
    {
        var path = dir.Write("check.csx", source);
        return await ScriptHost.CheckAsync(ScriptSources.Read(path));
    }

    private static IEnumerable<string> Ids(IEnumerable<string> diagnostics) =>
        diagnostics.Select(d => d.Split(' ')[2].TrimEnd(':'));

    [Theory]
    [InlineData("10.0.0.0/33", "has prefix /33, but the prefix must be 0–32")]
    [InlineData("10.30.0.1/24", "has host bits set after the /24 prefix; use the network address 10.30.0.0/24")]
    [InlineData("10.30/16", "is not a CIDR subnet")]
    public async Task DS0001_flags_a_subnet_Docker_would_refuse(string subnet, string message)
    {
        var (errors, _) = await CheckAsync($"var net = Networks.Create(\"rn-n\", subnet: \"{subnet}\");\n");

        var error = Assert.Single(errors);
        Assert.StartsWith($"{dir.Path}/check.csx:1:43: error DS0001: subnet: '{subnet}' {message}", error);
    }

    [Fact]
    public async Task DS0001_reads_positional_arguments_and_constants_too()
    {
        var (errors, _) = await CheckAsync("const string Bad = \"300.0.0.0/8\";\nNetworks.Create(\"rn-n\", \"bridge\", Bad);\n");

        Assert.Equal(["DS0001"], Ids(errors));
        Assert.Contains(":2:35:", Assert.Single(errors));
    }

    [Fact]
    public async Task DS0001_flags_a_gateway_that_is_no_address_or_outside_the_subnet()
    {
        var (errors, _) = await CheckAsync(
            "Networks.Create(\"a\", subnet: \"10.30.0.0/24\", gateway: \"10.31.0.1\");\n" +
            "Networks.Create(\"b\", subnet: \"10.30.0.0/24\", gateway: \"10.30\");\n");

        Assert.Equal(2, errors.Count);
        Assert.Contains("gateway: '10.31.0.1' is not inside the subnet 10.30.0.0/24", errors[0]);
        Assert.Contains("gateway: '10.30' is not an IP address", errors[1]);
    }

    [Fact]
    public async Task Good_subnets_and_computed_values_are_left_alone()
    {
        var (errors, warnings) = await CheckAsync(
            "Networks.Create(\"a\", subnet: \"10.30.0.0/24\", gateway: \"10.30.0.1\");\n" +
            "var s = Args.FirstOrDefault() ?? \"bogus\";\nNetworks.Create(\"b\", subnet: s);\n" +
            "Networks.Create(\"c\", subnet: \"fd00:30::/64\");\n");

        Assert.Empty(errors);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task DS0002_warns_about_ports_on_the_host_network()
    {
        var (errors, warnings) = await CheckAsync("Containers.Run(\"dockscript/web\", network: \"host\", ports: new[] { \"8080:80\" });\n");

        Assert.Empty(errors);
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"{dir.Path}/check.csx:1:58: warning DS0002: ports: are ignored on network: \"host\"", warning);
    }

    [Fact]
    public async Task DS0002_is_quiet_on_other_networks_and_without_ports()
    {
        var (_, warnings) = await CheckAsync(
            "Containers.Run(\"dockscript/web\", network: \"bridge\", ports: new[] { \"8080:80\" });\n" +
            "Containers.Run(\"dockscript/web\", network: \"host\");\n" +
            "Containers.Run(\"dockscript/web\", network: \"host\", ports: null);\n");

        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("Ping(\"a\", \"b\", count: 0)", "count: 0 sends nothing")]
    [InlineData("Ping(\"a\", \"b\", count: -3)", "count: -3 sends nothing")]
    [InlineData("Ping(\"a\", \"b\", 0)", "count: 0 sends nothing")]
    [InlineData("Ping(\"a\", \"b\", count: 1_000_000)", "would take hours")]
    [InlineData("Ping(\"a\", \"b\", timeout: TimeSpan.FromSeconds(-1))", "timeout: TimeSpan.FromSeconds(-1) is not a positive duration")]
    [InlineData("Ping(\"a\", \"b\", 2, TimeSpan.Zero)", "timeout: TimeSpan.Zero is not a positive duration")]
    [InlineData("Curl(\"a\", \"http://b/\", timeout: TimeSpan.FromMilliseconds(0))", "is not a positive duration")]
    [InlineData("Curl(\"a\", \"http://b/\", timeout: TimeSpan.FromDays(2))", "longer than an hour")]
    [InlineData("Resolve(\"a\", \"b\", timeout: -TimeSpan.FromSeconds(1))", "is not a positive duration")]
    public async Task DS0003_flags_probe_counts_and_timeouts_that_mean_nothing(string call, string message)
    {
        var (errors, _) = await CheckAsync(ProbeStubs + call + ";\n");

        var error = Assert.Single(errors);
        Assert.Contains(":4:", error);
        Assert.Contains("error DS0003: ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task DS0003_accepts_sensible_probes_and_ignores_other_methods()
    {
        var (errors, _) = await CheckAsync(ProbeStubs +
            "Ping(\"a\", \"b\", count: 1, timeout: TimeSpan.FromSeconds(1));\n" +
            "Curl(\"a\", \"http://b/\", timeout: TimeSpan.FromSeconds(30));\n" +
            "int Other(int count) => count;\nOther(count: 0);\n");

        Assert.Empty(errors);
    }

    [Fact]
    public async Task DS0003_judges_the_real_Ping_global()
    {
        // The probes are globals now: the call binds, and only DockScript's own rule objects.
        var (errors, _) = await CheckAsync("Ping(\"a\", \"b\", count: 0);\n");

        Assert.Equal(["DS0003"], Ids(errors).Order());
    }

    [Fact]
    public async Task Analyzers_run_on_loaded_files_and_name_them()
    {
        dir.Write("lib/nets.csx", "// helpers\nvar bad = Networks.Create(\"x\", subnet: \"10.0.0.0/40\");\n");
        var (errors, _) = await CheckAsync("#load \"lib/nets.csx\"\nConsole.WriteLine(1);\n");

        var error = Assert.Single(errors);
        Assert.Contains("lib/nets.csx:2:40: error DS0001:", error);
    }

    private const string Web1 = "var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\n";

    [Theory]
    [InlineData("Ping(web1, \"nginx2\")", "'nginx2'")]
    [InlineData("Resolve(web1, \"nginx2\")", "'nginx2'")]
    [InlineData("Curl(web1, \"http://nginx2:8080/x\")", "'nginx2'")]
    [InlineData("await PingAsync(web1, \"nginx2\", count: 1)", "'nginx2'")]
    public async Task DS0004_warns_about_a_name_probed_from_the_default_bridge(string probe, string name)
    {
        var (errors, warnings) = await CheckAsync(Web1 + probe + ";\n");

        Assert.Empty(errors);
        var warning = Assert.Single(warnings);
        Assert.Contains(":2:", warning);
        Assert.Contains($"warning DS0004: web1 is only on the default bridge network, which has no name resolution: {name} will not resolve from it.", warning);
        Assert.Contains("links: new[] { \"nginx2\" }", warning);
    }

    [Theory]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\", network: \"my-network\");\nPing(web1, \"nginx2\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", \"nginx1\", \"my-network\");\nPing(web1, \"nginx2\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\", links: new[] { \"nginx2\" });\nPing(web1, \"nginx2\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\nPing(web1, \"172.17.0.3\");\nCurl(web1, \"http://172.17.0.3/\");\nPing(web1, \"localhost\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\nPing(web1, \"nginx1\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\nNetworks[\"my-network\"].Connect(web1);\nPing(web1, \"nginx2\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\nvoid Join() => Networks[\"my-network\"].Connect(\"nginx1\");\nJoin();\nPing(web1, \"nginx2\");")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\nfor (var i = 0; i < 2; i++)\n{\n    Ping(web1, \"nginx2\");\n    Networks[\"my-network\"].Connect(web1);\n}")]
    [InlineData("var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\");\nweb1 = Containers[\"nginx3\"];\nPing(web1, \"nginx2\");")]
    [InlineData("var web1 = Containers[\"nginx1\"];\nPing(web1, \"nginx2\");")]
    [InlineData("var net = Args.Count > 0 ? Args[0] : null;\nvar web1 = Containers.Run(\"dockscript/web\", network: net);\nPing(web1, \"nginx2\");")]
    public async Task DS0004_stays_quiet_unless_the_script_shows_the_default_bridge(string script)
    {
        var (errors, warnings) = await CheckAsync(script + "\n");

        Assert.Empty(errors);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task DS0004_can_be_silenced_where_the_failure_is_the_point()
    {
        var (_, warnings) = await CheckAsync(Web1 + "#pragma warning disable DS0004 // S2: no names on the default bridge\nvar r = Ping(web1, \"nginx2\");\n#pragma warning restore DS0004\n");

        Assert.Empty(warnings);
    }

    [Fact]
    public async Task DS0004_knows_a_connect_written_after_the_probe_comes_too_late()
    {
        var (_, warnings) = await CheckAsync(Web1 + "var before = Ping(web1, \"nginx2\");\nNetworks[\"my-network\"].Connect(web1);\nvar after = Ping(web1, \"nginx2\");\n");

        Assert.Contains(":2:", Assert.Single(warnings));
    }
}
