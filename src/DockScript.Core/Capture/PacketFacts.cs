using System.Net;

namespace DockScript;

/// <summary>What a capture filter judges of one packet (see <see cref="CaptureFilter"/>).</summary>
/// <param name="Kind"><c>icmp</c>, <c>arp</c>, <c>udp</c>, <c>tcp</c>, or another name no filter word matches.</param>
/// <param name="SourceAddress">The IP source (ARP: the sender's protocol address).</param>
/// <param name="DestinationAddress">The IP destination (ARP: the target's protocol address).</param>
/// <param name="SourcePort">The TCP or UDP source port.</param>
/// <param name="DestinationPort">The TCP or UDP destination port.</param>
internal sealed record PacketFacts(string Kind, IPAddress? SourceAddress, IPAddress? DestinationAddress, int? SourcePort, int? DestinationPort);
