namespace DockScript.Scripting;

// The cluster part of the globals: Cluster.Create / Cluster.Connect, and Spread.
public partial class ScriptGlobals
{
    /// <summary>
    /// Swarm clusters: <c>Cluster.Create(nodes: 3)</c> starts nested engines on this one and joins
    /// them; <c>Cluster.Connect("tcp://…:2375")</c> attaches to engines you already have.
    /// </summary>
    /// <example><code>var cluster = Cluster.Create(nodes: 3, managers: 1);</code></example>
    public Clusters Cluster => Lab.Clusters;

    /// <summary>
    /// Fetches <paramref name="url"/> <paramref name="requests"/> times from <paramref name="from"/>
    /// and counts which task (or container) answered each time.
    /// </summary>
    /// <example><code>Spread(probe, "http://web/", 30)</code></example>
    public Spread Spread(Container from, string url, int requests = 30, TimeSpan? timeout = null) => Lab.Probes.Spread(from, url, requests, timeout);

    /// <inheritdoc cref="Spread(Container, string, int, TimeSpan?)"/>
    public Task<Spread> SpreadAsync(Container from, string url, int requests = 30, TimeSpan? timeout = null, CancellationToken ct = default) =>
        Lab.Probes.SpreadAsync(from, url, requests, timeout, ct);
}
