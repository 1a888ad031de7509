namespace DockScript.Scripting;

// Capture: packets seen inside a container's network namespace (see ScriptGlobals.cs for the rest).
public partial class ScriptGlobals
{
    /// <summary>
    /// Starts a packet capture on every interface inside <paramref name="container"/>'s network
    /// namespace. <paramref name="filter"/> is a small tcpdump subset: <c>icmp</c>, <c>arp</c>,
    /// <c>udp</c>, <c>tcp</c>, <c>port N</c>, <c>host ADDR</c>, joined with <c>and</c>, <c>or</c>,
    /// <c>not</c> and parentheses. It stops by itself at <paramref name="maxPackets"/> or
    /// <paramref name="maxBytes"/>; <c>Stop()</c> ends it and returns the decoded packets.
    /// </summary>
    /// <example><code>var cap = Capture(web1, "icmp or arp"); Ping(web1, web2, count: 1); cap.Stop().Packets</code></example>
    public PacketCapture Capture(Container container, string? filter = null, int maxPackets = 10_000, long maxBytes = 10L * 1024 * 1024) =>
        Lab.Probes.Capture(container, filter, maxPackets, maxBytes);

    /// <summary>Starts a packet capture inside the container named <paramref name="container"/>.</summary>
    /// <example><code>var cap = Capture("nginx4", "udp");</code></example>
    public PacketCapture Capture(string container, string? filter = null, int maxPackets = 10_000, long maxBytes = 10L * 1024 * 1024) =>
        Lab.Probes.Capture(Source(container), filter, maxPackets, maxBytes);

    /// <inheritdoc cref="Capture(Container, string?, int, long)"/>
    public Task<PacketCapture> CaptureAsync(Container container, string? filter = null, int maxPackets = 10_000, long maxBytes = 10L * 1024 * 1024, CancellationToken ct = default) =>
        Lab.Probes.CaptureAsync(container, filter, maxPackets, maxBytes, ct);

    /// <summary>
    /// Starts a packet capture at DockScript's outside server, the one <c>Masquerade</c> calls (on
    /// 198.18.0.0/15, joined to the host; nothing leaves the machine): requests from the lab arrive
    /// there from the host's address when their network masquerades (seed S7).
    /// </summary>
    /// <example><code>var outside = CaptureOutside("tcp port 80"); Masquerade(web1); outside.Stop()</code></example>
    public PacketCapture CaptureOutside(string? filter = null, int maxPackets = 10_000, long maxBytes = 10L * 1024 * 1024) =>
        Lab.Probes.CaptureOutside(filter, maxPackets, maxBytes);

    /// <inheritdoc cref="CaptureOutside(string?, int, long)"/>
    public Task<PacketCapture> CaptureOutsideAsync(string? filter = null, int maxPackets = 10_000, long maxBytes = 10L * 1024 * 1024, CancellationToken ct = default) =>
        Lab.Probes.CaptureOutsideAsync(filter, maxPackets, maxBytes, ct);
}
