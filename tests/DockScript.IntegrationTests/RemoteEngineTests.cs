namespace DockScript.IntegrationTests;

/// <summary>
/// The same engine seen through TCP on loopback, as a remote engine would be: DockScript must not
/// read this host's /proc then, and everything must still work through the API.
/// </summary>
public sealed class RemoteEngineTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public async Task A_tcp_endpoint_works_and_reads_namespaces_through_the_engine()
    {
        using var proxy = new LoopbackProxy("/var/run/docker.sock");
        await using var remote = await ThroughAsync(proxy);
        Assert.False(remote.Engine.Endpoint.IsLocal);
        Assert.False(remote.Engine.CanReadHostProc);
        Assert.Equal(Lab.Engine.ApiVersion, remote.Engine.ApiVersion);

        var net = await remote.Networks.CreateAsync(Name("remote-net"));
        var web = await remote.Containers.RunAsync("dockscript/web", name: Name("remote-web"), network: net.Name);
        var interfaces = await web.GetInterfacesAsync();
        Assert.Equal(["lo", "eth0"], interfaces.Select(i => i.Name));
        Assert.Equal(["127.0.0.11"], (await web.GetResolvConfAsync()).Nameservers);
        Assert.True(proxy.Connections > 0);

        var report = await remote.CleanupAsync();
        Assert.Equal([web.Name], report.Containers);
        Assert.Equal([net.Name], report.Networks);
    }

    [Fact]
    public async Task A_hung_engine_makes_cleanup_say_what_it_left_and_return()
    {
        using var proxy = new LoopbackProxy("/var/run/docker.sock");
        await using var remote = await ThroughAsync(proxy);
        var net = await remote.Networks.CreateAsync(Name("hung-net"));
        remote.CleanupCallTimeout = TimeSpan.FromSeconds(1);

        proxy.Hang();
        var report = await remote.CleanupAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(report.Networks);
        Assert.Contains(report.Kept, k => k.Contains("did not answer within 1 s", StringComparison.Ordinal));
        Assert.Contains("kept", report.ToString());

        // The engine answers again: what the hang kept is still there, and now it goes.
        proxy.Release();
        remote.CleanupCallTimeout = TimeSpan.FromSeconds(30);
        Assert.True(await remote.Networks.GetAsync(net.Name) is not null);
        var again = await remote.CleanupAsync();
        Assert.Equal([net.Name], again.Networks);
    }

    [Fact]
    public async Task The_engine_script_only_checks_a_DOCKER_HOST_endpoint()
    {
        using var proxy = new LoopbackProxy("/var/run/docker.sock");
        var up = await RunEngineScriptAsync($"tcp://127.0.0.1:{proxy.Port}");
        Assert.True(up.Code == 0, up.Err);

        var down = await RunEngineScriptAsync("tcp://127.0.0.1:9");
        Assert.NotEqual(0, down.Code);
        Assert.Contains("DOCKER_HOST=tcp://127.0.0.1:9 does not answer", down.Err);
    }

    [Fact]
    public async Task A_plain_tcp_engine_works_with_one_warning_line()
    {
        using var proxy = new LoopbackProxy("/var/run/docker.sock");
        var plain = new Dictionary<string, string> { ["DOCKER_HOST"] = $"tcp://127.0.0.1:{proxy.Port}" };

        var (code, _, error) = await CliTests.DockscriptAsync(plain, CliTests.Fixture("ExitCode"), "0");

        Assert.True(code == 0, error);
        Assert.True(proxy.Connections > 0);
        var warning = Assert.Single(error.Split('\n'), l => l.Contains("plain TCP", StringComparison.Ordinal));
        Assert.StartsWith($"warning: tcp://127.0.0.1:{proxy.Port}/ is plain TCP: anyone who can reach it can read and drive this engine.", warning);
    }

    /// <summary>This session, reached through <paramref name="proxy"/> as a remote engine.</summary>
    private Task<Lab> ThroughAsync(LoopbackProxy proxy) => Lab.StartAsync(new LabOptions
    {
        Endpoint = DockerEndpoint.FromEnvironment($"tcp://127.0.0.1:{proxy.Port}"),
        Dns = ["127.0.0.1"],
        SessionId = Lab.SessionId,
    });

    private static async Task<(int Code, string Err)> RunEngineScriptAsync(string dockerHost)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "DockScript.sln")))
        {
            dir = dir.Parent;
        }
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(dir.FullName, "scripts", "engine"));
        psi.Environment["DOCKER_HOST"] = dockerHost;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, err);
    }
}
