using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using PacketDotNet;

namespace DockScript;

/// <summary>
/// Turns a captured frame (a Linux "cooked" SLL header and the packet from its network header on)
/// into a <see cref="CapturedPacket"/> and the <see cref="PacketFacts"/> a filter judges. The
/// dissection is PacketDotNet's; DNS payloads, which it does not dissect, are read by
/// <see cref="DnsMessage.Describe"/>. Never throws: what cannot be read is shown as what it is.
/// </summary>
internal static class PacketDecoder
{
    /// <summary>The length of the SLL (v1) header in front of every frame.</summary>
    public const int SllHeaderLength = 16;

    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeArp = 0x0806;
    private const ushort EtherTypeIPv6 = 0x86DD;

    /// <summary>The embedded DNS server's address: Docker redirects its port 53 to a random one, so the port alone misses it.</summary>
    private static readonly IPAddress EmbeddedDns = IPAddress.Parse("127.0.0.11");

    public static (CapturedPacket Packet, PacketFacts Facts) Decode(CapturedFrame frame)
    {
        var sll = frame.Bytes;
        var outgoing = sll.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(sll) == 4;
        var etherType = sll.Length >= SllHeaderLength ? BinaryPrimitives.ReadUInt16BigEndian(sll.AsSpan(14)) : (ushort)0;
        var length = frame.Length - SllHeaderLength;
        var (protocol, source, destination, summary, facts) = Dissect(sll, etherType, length);
        return (new CapturedPacket(frame.Time, frame.Interface, outgoing, source, destination, protocol, summary, length), facts);
    }

    private static (string Protocol, string Source, string Destination, string Summary, PacketFacts Facts) Dissect(byte[] sll, ushort etherType, int length)
    {
        Packet? packet;
        try
        {
            packet = Packet.ParsePacket(LinkLayers.LinuxSll, sll);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or NotImplementedException)
        {
            packet = null;
        }
        try
        {
            if (packet?.Extract<ArpPacket>() is { } arp)
            {
                return Arp(arp);
            }
            if (packet?.Extract<IPPacket>() is { } ip)
            {
                return Ip(ip, length);
            }
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or NotImplementedException)
        {
            // A packet cut short or malformed: shown by its EtherType below.
        }
        var name = etherType switch
        {
            EtherTypeIPv4 => "IPv4",
            EtherTypeIPv6 => "IPv6",
            EtherTypeArp => "ARP",
            _ => string.Create(CultureInfo.InvariantCulture, $"0x{etherType:x4}"),
        };
        return (name, "?", "?", $"{name} ({length} bytes, not decoded)", new PacketFacts(name.ToLowerInvariant(), null, null, null, null));
    }

    private static (string, string, string, string, PacketFacts) Arp(ArpPacket arp)
    {
        var sender = arp.SenderProtocolAddress;
        var target = arp.TargetProtocolAddress;
        var summary = arp.Operation switch
        {
            ArpOperation.Request => $"ARP who-has {target} tell {sender}",
            ArpOperation.Response => $"ARP {sender} is-at {Mac(arp.SenderHardwareAddress.GetAddressBytes())}",
            var other => $"ARP {other}",
        };
        return ("ARP", sender.ToString(), target.ToString(), summary, new PacketFacts("arp", sender, target, null, null));
    }

    private static (string, string, string, string, PacketFacts) Ip(IPPacket ip, int length)
    {
        var (src, dst) = (ip.SourceAddress, ip.DestinationAddress);
        switch (ip.PayloadPacket)
        {
            case IcmpV4Packet icmp:
                return ("ICMP", src.ToString(), dst.ToString(), Icmp(icmp), new PacketFacts("icmp", src, dst, null, null));
            case IcmpV6Packet icmp6:
                return ("ICMPv6", src.ToString(), dst.ToString(), $"ICMPv6 {Words(icmp6.Type.ToString())}", new PacketFacts("icmp6", src, dst, null, null));
            case TcpPacket tcp:
                return ("TCP", At(src, tcp.SourcePort), At(dst, tcp.DestinationPort), Tcp(tcp), new PacketFacts("tcp", src, dst, tcp.SourcePort, tcp.DestinationPort));
            case UdpPacket udp:
                var facts = new PacketFacts("udp", src, dst, udp.SourcePort, udp.DestinationPort);
                var payload = udp.PayloadData ?? [];
                var dns = udp.SourcePort == 53 || udp.DestinationPort == 53 || src.Equals(EmbeddedDns) || dst.Equals(EmbeddedDns)
                    ? DnsMessage.Describe(payload)
                    : null;
                return (dns is null ? "UDP" : "DNS", At(src, udp.SourcePort), At(dst, udp.DestinationPort),
                    dns ?? $"UDP {udp.SourcePort} > {udp.DestinationPort} {payload.Length} bytes", facts);
            default:
                var version = ip is IPv4Packet ? "IPv4" : "IPv6";
                return (version, src.ToString(), dst.ToString(), $"{version} protocol {ip.Protocol} ({length} bytes)",
                    new PacketFacts(ip.Protocol.ToString().ToLowerInvariant(), src, dst, null, null));
        }
    }

    private static string Icmp(IcmpV4Packet icmp)
    {
        var type = (int)icmp.TypeCode >> 8;
        return type switch
        {
            8 => $"ICMP echo request id={icmp.Id} seq={icmp.Sequence}",
            0 => $"ICMP echo reply id={icmp.Id} seq={icmp.Sequence}",
            3 => $"ICMP unreachable ({Words(icmp.TypeCode.ToString()).Replace("unreachable ", "", StringComparison.Ordinal)})",
            _ => $"ICMP {Words(icmp.TypeCode.ToString())}",
        };
    }

    private static string Tcp(TcpPacket tcp)
    {
        var data = tcp.PayloadData?.Length ?? 0;
        var bytes = data > 0 ? $" {data} bytes" : "";
        if (tcp.Reset)
        {
            return "TCP RST";
        }
        if (tcp.Synchronize)
        {
            return tcp.Acknowledgment ? $"TCP SYN-ACK :{tcp.SourcePort}" : $"TCP SYN :{tcp.DestinationPort}";
        }
        if (tcp.Finished)
        {
            return "TCP FIN" + bytes;
        }
        return (tcp.Push ? "TCP PSH" : "TCP ACK") + bytes;
    }

    private static string At(IPAddress address, ushort port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string Mac(byte[] bytes) => string.Join(':', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary><c>EchoRequest</c> → <c>echo request</c>: PacketDotNet's enum names, as words.</summary>
    private static string Words(string name)
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
