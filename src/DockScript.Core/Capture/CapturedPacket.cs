using System.Globalization;

namespace DockScript;

/// <summary>
/// One packet a <see cref="PacketCapture"/> saw, decoded: when, on which interface, from where to
/// where, and what it was, in a line like tcpdump's.
/// </summary>
/// <param name="Time">When the kernel saw it (UTC).</param>
/// <param name="Interface">The container's interface it passed: <c>eth0</c>, <c>lo</c>, …</param>
/// <param name="Outgoing">True when the container sent it, false when it arrived.</param>
/// <param name="Source">Where it came from: <c>172.17.0.2</c>, or <c>172.17.0.2:41234</c> for TCP and UDP.</param>
/// <param name="Destination">Where it went, in the same form.</param>
/// <param name="Protocol"><c>ICMP</c>, <c>ARP</c>, <c>DNS</c>, <c>UDP</c>, <c>TCP</c>, <c>ICMPv6</c>, <c>IPv4</c>, <c>IPv6</c> or the EtherType in hex.</param>
/// <param name="Summary">What it was: <c>ICMP echo request id=7 seq=1</c>, <c>DNS query A nginx2</c>, <c>ARP who-has 172.17.0.3</c>, <c>TCP SYN :80</c>.</param>
/// <param name="Length">Its length in bytes, from the network header on.</param>
/// <example><code>cap.Packets.Where(p => p.Protocol == "DNS").Select(p => p.Summary)</code></example>
public sealed record CapturedPacket(
    DateTimeOffset Time, string Interface, bool Outgoing, string Source, string Destination, string Protocol, string Summary, int Length)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Time:HH:mm:ss.ffffff} {Interface} {(Outgoing ? "out" : "in ")} {Source} > {Destination}: {Summary}");
}
