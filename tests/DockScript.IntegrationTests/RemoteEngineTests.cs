using System.Net;
using System.Net.Sockets;

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
        await using var remote = await Lab.StartAsync(new LabOptions
        {
            Endpoint = DockerEndpoint.FromEnvironment($"tcp://127.0.0.1:{proxy.Port}"),
            Dns = ["127.0.0.1"],
            SessionId = Lab.SessionId,
        });
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
    public async Task The_engine_script_only_checks_a_DOCKER_HOST_endpoint()
    {
        using var proxy = new LoopbackProxy("/var/run/docker.sock");
        var up = await RunEngineScriptAsync($"tcp://127.0.0.1:{proxy.Port}");
        Assert.True(up.Code == 0, up.Err);

        var down = await RunEngineScriptAsync("tcp://127.0.0.1:9");
        Assert.NotEqual(0, down.Code);
        Assert.Contains("DOCKER_HOST=tcp://127.0.0.1:9 does not answer", down.Err);
    }

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

    /// <summary>Forwards TCP connections on a loopback port to the engine's Unix socket.</summary>
    private sealed class LoopbackProxy : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private int connections;

        public LoopbackProxy(string socketPath)
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                    _ = Task.Run(async () =>
                    {
                        using var tcp = client;
                        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        await unix.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                        using var engine = new NetworkStream(unix, ownsSocket: false);
                        var a = tcp.GetStream().CopyToAsync(engine, stop.Token);
                        var b = engine.CopyToAsync(tcp.GetStream(), stop.Token);
                        await Task.WhenAny(a, b);
                    });
                }
            });
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref connections);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
