namespace DockScript.Scripting;

// Explain (see ScriptGlobals.cs for the class).
public partial class ScriptGlobals
{
    /// <summary>
    /// Why <paramref name="from"/> can or cannot reach <paramref name="to"/>, layer by layer (name,
    /// address, path, firewall, listener), each with its evidence, ending with a real ping, or with
    /// <paramref name="port"/> a TCP connection. The layers never contradict that final probe.
    /// </summary>
    /// <example><code>Explain(web1, "db", port: 80)   // ✘ Address: 172.18.0.3 was db1's address on 'blue'; db1 is exited …</code></example>
    public Explanation Explain(Container from, string to, int? port = null) => Lab.Probes.Explain(from, to, port);

    /// <summary>Why <paramref name="from"/> can or cannot reach container <paramref name="to"/> at its address on a network both share.</summary>
    /// <example><code>Explain(web1, web2).Reachable</code></example>
    public Explanation Explain(Container from, Container to, int? port = null) => Lab.Probes.Explain(from, to, port);

    /// <summary>Explains from the container named <paramref name="from"/> (any container, a compose project's too) to a name or an address.</summary>
    /// <example><code>Explain("shop_web_1", "db")   // 'db' is the service alias of shop_db_1 on 'shop_back' …</code></example>
    public Explanation Explain(string from, string to, int? port = null) => Lab.Probes.Explain(Source(from), to, port);

    /// <summary>Explains from the container named <paramref name="from"/> to container <paramref name="to"/>.</summary>
    /// <example><code>Explain("nginx1", web2, port: 80)</code></example>
    public Explanation Explain(string from, Container to, int? port = null) => Lab.Probes.Explain(Source(from), to, port);

    /// <inheritdoc cref="Explain(Container, string, int?)"/>
    public Task<Explanation> ExplainAsync(Container from, string to, int? port = null, CancellationToken ct = default) =>
        Lab.Probes.ExplainAsync(from, to, port, ct);

    /// <inheritdoc cref="Explain(Container, Container, int?)"/>
    public Task<Explanation> ExplainAsync(Container from, Container to, int? port = null, CancellationToken ct = default) =>
        Lab.Probes.ExplainAsync(from, to, port, ct);
}
