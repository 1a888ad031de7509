using Docker.DotNet.Models;

namespace DockScript.IntegrationTests;

/// <summary>
/// One lab session on the real engine for the whole run. There is deliberately no skip: when no
/// engine answers, <see cref="InitializeAsync"/> throws and every test fails.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    /// <summary>A prefix unique to this run, for every container and network name.</summary>
    public string Run { get; } = "it" + Guid.NewGuid().ToString("N")[..6];

    public Lab Lab { get; private set; } = null!;

    /// <summary>An image holding busybox alone: no shell, no cat, no ip; for "any image" tests.</summary>
    internal LabImage Bare => new($"dockscript-test/bare-{Run}", "busybox without applet links", [], ["CMD [\"/bin/busybox\", \"sleep\", \"3600\"]"]);

    /// <summary>An image with a shell but no cat: exec works, yet cannot read files.</summary>
    internal LabImage ShellOnly => new($"dockscript-test/shell-{Run}", "busybox sh and sleep only", ["sh", "sleep"], ["CMD [\"sleep\", \"3600\"]"]);

    public string Name(string suffix) => $"{Run}-{suffix}";

    public async Task InitializeAsync()
    {
        // Containers never forward a DNS query off the machine: their upstream is their own loopback.
        Lab = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] });
        foreach (var image in LabImage.All)
        {
            await Lab.Images.EnsureLabImageAsync(image);
        }
        await Lab.Images.BuildAsync(Bare);
        await Lab.Images.BuildAsync(ShellOnly);
    }

    /// <summary>A second session on the same engine; it labels what it makes with its own id.</summary>
    public Task<Lab> OtherSessionAsync(bool portable = false) =>
        Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"], ForcePortable = portable });

    /// <summary>The same session, reading namespaces only through the engine (exec or helper).</summary>
    public Task<Lab> PortableViewAsync() =>
        Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"], ForcePortable = true, SessionId = Lab.SessionId });

    public async Task DisposeAsync()
    {
        if (Lab is null)
        {
            return;
        }
        await Lab.CleanupAsync();
        foreach (var image in new[] { Bare, ShellOnly })
        {
            try
            {
                await Lab.Docker.Images.DeleteImageAsync(image.Name, new ImageDeleteParameters { Force = true });
            }
            catch (Docker.DotNet.DockerApiException)
            {
            }
        }
        Lab.Dispose();
        // The compiled-script cache the CLI tests gave their child processes.
        if (Directory.Exists(CliTests.CacheHome))
        {
            Directory.Delete(CliTests.CacheHome, recursive: true);
        }
    }
}

[CollectionDefinition("engine")]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>;

/// <summary>Base for engine tests: each test cleans up what it created, even when it fails.</summary>
[Collection("engine")]
public abstract class EngineTest(EngineFixture fx) : IAsyncLifetime
{
    protected EngineFixture Fx { get; } = fx;
    protected Lab Lab => Fx.Lab;
    protected Networks Networks => Fx.Lab.Networks;
    protected Containers Containers => Fx.Lab.Containers;
    protected string Name(string suffix) => Fx.Name(suffix);

    /// <summary>The two probe paths, for theories that must hold on both.</summary>
    public static TheoryData<string> Paths => new() { "namespace", "helper" };

    /// <summary>The probes of the chosen path; the helper path is the same session, forced portable.</summary>
    protected async Task<(Probes Probes, IAsyncDisposable? Owner)> PathAsync(string path)
    {
        if (path == "namespace")
        {
            Assert.True(Lab.Probes.FastPath, "the tests run as root next to the engine, so the namespace path must be available");
            return (Lab.Probes, null);
        }
        var portable = await Fx.PortableViewAsync();
        Assert.False(portable.Probes.FastPath);
        return (portable.Probes, portable);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Lab.CleanupAsync();
        Assert.Empty(await Lab.GetCreatedAsync());
    }

    /// <summary>
    /// An HTTP GET from the test host. The server in a just-started container may need a few
    /// milliseconds after "running" to listen, so a refused connection is retried for a moment.
    /// </summary>
    protected static async Task<string> HostGetAsync(string url)
    {
        using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync(url);
            }
            catch (System.Net.Http.HttpRequestException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>An HTTP GET from inside <paramref name="from"/> with busybox wget; the probes issue replaces this.</summary>
    /// <remarks>Busybox's own <c>wget -T</c> crashes in the static Debian build, so <c>timeout</c> bounds it instead.</remarks>
    protected static async Task<ExecResult> WgetAsync(Container from, string host) =>
        await from.ExecAsync(["timeout", "3", "wget", "-q", "-O", "-", $"http://{host}/"]);
}
