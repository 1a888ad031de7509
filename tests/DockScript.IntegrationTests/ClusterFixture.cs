namespace DockScript.IntegrationTests;

/// <summary>
/// One 2-node Swarm (a manager and a worker, nested engines on the real one) for every cluster
/// test of the run: starting it takes most of the cluster tests' time, so it happens once. It
/// lives in a session of its own, because the engine tests clean their session after each test.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>A prefix unique to this run: the cluster's network and nodes carry it.</summary>
    public string Run { get; } = Prefix("clu") + Guid.NewGuid().ToString("N")[..5];

    /// <summary>
    /// The start of every name a cluster test makes: <paramref name="fallback"/>, or
    /// DOCKSCRIPT_TEST_PREFIX when set (several people's runs on one shared engine keep apart).
    /// </summary>
    public static string Prefix(string fallback) =>
        Environment.GetEnvironmentVariable("DOCKSCRIPT_TEST_PREFIX") is { Length: > 0 } mine ? mine : fallback;

    public Lab Lab { get; private set; } = null!;

    public Cluster Cluster { get; private set; } = null!;

    /// <summary>The attachable overlay every test may use (10.77.0.0/24).</summary>
    public Network Overlay { get; private set; } = null!;

    public string Name(string suffix) => $"{Run}-{suffix}";

    public async Task InitializeAsync()
    {
        Lab = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] });
        Cluster = await Lab.Clusters.CreateAsync(nodes: 2, managers: 1, name: Run);
        Overlay = await Cluster.Networks.CreateAsync(Name("ov"), subnet: "10.77.0.0/24");
    }

    public async Task DisposeAsync()
    {
        if (Lab is null)
        {
            return;
        }
        await Lab.CleanupAsync();
        Lab.Dispose();
    }
}

[CollectionDefinition("cluster")]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
