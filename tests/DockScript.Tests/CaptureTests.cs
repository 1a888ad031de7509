using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using DockScript.Cli;
using DockScript.Cli.Repl;
using DockScript.Scripting;
using DockScript.Scripting.Repl;
using Spectre.Console.Testing;

namespace DockScript.Tests;

/// <summary>Capture without an engine: the filter language, decoding of real frames, the pcap layout, the journal entry and DS0005.</summary>
public sealed class CaptureTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    // Frames captured by DockScript in a container on a user network (SLL header + packet), as SavePcap wrote them.
    private const string ArpRequest = "0004000100060242c0a8b0020000080600010800060400010242c0a8b002c0a8b002000000000000c0a8b003";
    private const string ArpReply = "0000000100060242c0a8b0030000080600010800060400020242c0a8b003c0a8b0030242c0a8b002c0a8b002";
    private const string EchoRequest = "0004000100060242c0a8b002000008004500003c5c4240004001fd27c0a8b002c0a8b0030800e24915b500010000000000000000000000000000000000000000000000000000000000000000";
    private const string EchoReply = "0000000100060242c0a8b003000008004500003cbf9f00004001d9cac0a8b003c0a8b0020000ea4915b500010000000000000000000000000000000000000000000000000000000000000000";
    private const string DnsQuery = "00000304000600000000000000000800450000334b4a40004011f1637f0000017f00000b9cb5cbfd001ffe3c171301000001000000000000056361702d620000010001";
    private const string DnsAnswer = "000003040006000000000000000008004500004816844000401126157f00000b7f00000100359cb50034fe51171381800001000100000000056361702d620000010001056361702d620000010001000002580004c0a8b003";
    private const string TcpSyn = "0004000100060242c0a8b002000008004500003c8d3d40004006cc27c0a8b002c0a8b0039b2200514c5a19d400000000a002faf0e1850000020405b40402080a411ae778000000000103030a";
    private const string TcpRst = "0000000100060242c0a8b00300000800450000280000400040065979c0a8b003c0a8b00200519b22000000004c5a19d550140000ccd60000";

    private static (CapturedPacket Packet, PacketFacts Facts) Decode(string hex, string nic = "eth0")
    {
        var bytes = Convert.FromHexString(hex);
        return PacketDecoder.Decode(new CapturedFrame(DateTimeOffset.UnixEpoch, nic, bytes, bytes.Length));
    }

    [Theory]
    [InlineData(ArpRequest, "ARP", true, "192.168.176.2", "192.168.176.3", "ARP who-has 192.168.176.3 tell 192.168.176.2")]
    [InlineData(ArpReply, "ARP", false, "192.168.176.3", "192.168.176.2", "ARP 192.168.176.3 is-at 02:42:c0:a8:b0:03")]
    [InlineData(EchoRequest, "ICMP", true, "192.168.176.2", "192.168.176.3", "ICMP echo request id=5557 seq=1")]
    [InlineData(EchoReply, "ICMP", false, "192.168.176.3", "192.168.176.2", "ICMP echo reply id=5557 seq=1")]
    [InlineData(DnsQuery, "DNS", false, "127.0.0.1:40117", "127.0.0.11:52221", "DNS query A cap-b")]
    [InlineData(DnsAnswer, "DNS", false, "127.0.0.11:53", "127.0.0.1:40117", "DNS answer cap-b = 192.168.176.3")]
    [InlineData(TcpSyn, "TCP", true, "192.168.176.2:39714", "192.168.176.3:81", "TCP SYN :81")]
    [InlineData(TcpRst, "TCP", false, "192.168.176.3:81", "192.168.176.2:39714", "TCP RST")]
    public void Real_frames_decode_to_tcpdump_like_lines(string hex, string protocol, bool outgoing, string source, string destination, string summary)
    {
        var (packet, _) = Decode(hex);

        Assert.Equal(protocol, packet.Protocol);
        Assert.Equal(outgoing, packet.Outgoing);
        Assert.Equal(source, packet.Source);
        Assert.Equal(destination, packet.Destination);
        Assert.Equal(summary, packet.Summary);
        Assert.Equal(Convert.FromHexString(hex).Length - PacketDecoder.SllHeaderLength, packet.Length);
        Assert.Equal($"00:00:00.000000 eth0 {(outgoing ? "out" : "in ")} {source} > {destination}: {summary}", packet.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("0000000100060242c0a8b00300000800450000")]           // IPv4 cut short after 3 bytes
    [InlineData("000000010006000000000000000088cc0102030405060708")] // LLDP: not decoded
    [InlineData("0000030400060000000000000000080045000033000040004011000000000000000000007f00000b9cb5cbfd001ffe3c17130100")] // DNS cut short
    public void Cut_or_unknown_frames_are_shown_not_thrown(string hex)
    {
        var (packet, _) = Decode(hex);

        Assert.False(string.IsNullOrEmpty(packet.Summary));
        Assert.False(string.IsNullOrEmpty(packet.Protocol));
    }

    [Theory]
    [InlineData(null, new[] { true, true, true, true, true, true, true, true })]
    [InlineData("icmp", new[] { false, false, true, true, false, false, false, false })]
    [InlineData("arp", new[] { true, true, false, false, false, false, false, false })]
    [InlineData("udp", new[] { false, false, false, false, true, true, false, false })]
    [InlineData("tcp", new[] { false, false, false, false, false, false, true, true })]
    [InlineData("port 81", new[] { false, false, false, false, false, false, true, true })]
    [InlineData("tcp port 81", new[] { false, false, false, false, false, false, true, true })]
    [InlineData("udp port 53", new[] { false, false, false, false, false, true, false, false })]
    [InlineData("host 127.0.0.11", new[] { false, false, false, false, true, true, false, false })]
    [InlineData("host 192.168.176.3 and not tcp", new[] { true, true, true, true, false, false, false, false })]
    [InlineData("icmp or arp", new[] { true, true, true, true, false, false, false, false })]
    [InlineData("not (icmp or arp) and not udp", new[] { false, false, false, false, false, false, true, true })]
    [InlineData("!arp && (udp || icmp)", new[] { false, false, true, true, true, true, false, false })]
    [InlineData("ICMP OR ARP", new[] { true, true, true, true, false, false, false, false })]
    [InlineData("tcp or icmp and host 10.9.9.9", new[] { false, false, false, false, false, false, true, true })]
    public void Filters_pick_the_packets_tcpdump_would(string? filter, bool[] expected)
    {
        var parsed = CaptureFilter.Parse(filter);
        var frames = new[] { ArpRequest, ArpReply, EchoRequest, EchoReply, DnsQuery, DnsAnswer, TcpSyn, TcpRst };

        Assert.Equal(expected, frames.Select(f => parsed.Matches(Decode(f).Facts)).ToArray());
    }

    [Theory]
    [InlineData("icmpp", "'icmpp' is not a word it knows")]
    [InlineData("port", "'port' needs a number, like port 80")]
    [InlineData("port http", "'http' is not a port (0 to 65535)")]
    [InlineData("port 70000", "'70000' is not a port (0 to 65535)")]
    [InlineData("host nginx1", "'nginx1' is not an IP address (host takes addresses, not names)")]
    [InlineData("host 10.1", "'10.1' is not an IP address")]
    [InlineData("icmp and", "it ends after 'and', where a word is missing")]
    [InlineData("and icmp", "'and' needs something on its left")]
    [InlineData("(icmp or arp", "a '(' is not closed")]
    [InlineData("icmp)", "')' cannot follow what comes before it")]
    [InlineData("icmp arp", "'arp' cannot follow what comes before it")]
    [InlineData("tcp & udp", "'&' cannot follow what comes before it")]
    public void A_bad_filter_is_one_sentence_that_says_what_works(string filter, string why)
    {
        var error = Assert.Throws<DockScriptException>(() => CaptureFilter.Parse(filter));

        Assert.StartsWith($"'{filter}' is not a capture filter: {why}", error.Message);
        Assert.EndsWith($"; {CaptureFilter.Help}.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Limits_must_be_positive()
    {
        Assert.Equal("Capture needs maxPackets of at least 1, but 0 was given.", Assert.Throws<DockScriptException>(() => CaptureOptions.Of(null, maxPackets: 0)).Message);
        Assert.Equal("Capture needs maxBytes of at least 1, but -1 was given.", Assert.Throws<DockScriptException>(() => CaptureOptions.Of(null, maxBytes: -1)).Message);
        var options = CaptureOptions.Of("  icmp ");
        Assert.Equal("icmp", options.Filter);
        Assert.Equal((10_000, 10L * 1024 * 1024), (options.MaxPackets, options.MaxBytes));
        Assert.Null(CaptureOptions.Of(" ").Filter);
    }

    [Fact]
    public async Task A_pcap_file_has_the_classic_header_and_one_record_per_frame()
    {
        var frames = new[] { EchoRequest, EchoReply }.Select((hex, i) =>
        {
            var bytes = Convert.FromHexString(hex);
            return new CapturedFrame(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123 + i), "eth0", bytes, bytes.Length);
        }).ToList();
        var path = Path.Combine(dir.Path, "two.pcap");

        await PcapFile.WriteAsync(path, frames, CancellationToken.None);

        var file = await File.ReadAllBytesAsync(path);
        Assert.Equal(0xa1b2c3d4u, BinaryPrimitives.ReadUInt32LittleEndian(file));
        Assert.Equal(113u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20)));
        var first = file.AsSpan(24);
        Assert.Equal(1_700_000_000u, BinaryPrimitives.ReadUInt32LittleEndian(first));
        Assert.Equal(123_000u, BinaryPrimitives.ReadUInt32LittleEndian(first[4..]));
        Assert.Equal((uint)frames[0].Bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(first[8..]));
        Assert.Equal(frames[0].Bytes, first.Slice(16, frames[0].Bytes.Length).ToArray());
        Assert.Equal(24 + 2 * 16 + frames.Sum(f => f.Bytes.Length), file.Length);
    }

    [Fact]
    public void A_capture_is_recorded_in_the_journal_with_its_packets_as_json()
    {
        var packet = Decode(EchoRequest).Packet;
        var result = new CaptureResult("nginx1", "icmp", [packet]) { Bytes = packet.Length, LimitReached = true, Limit = "1 packets" };
        using var stream = new MemoryStream();

        RunSummaryJson.Write(stream, new RunSummary { Journal = [new JournalEntry.Capture(result)] });

        var entry = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("journal")[0];
        Assert.Equal("capture", entry.GetProperty("kind").GetString());
        Assert.Equal("capture in nginx1 (icmp): 1 packet, 60 B; stopped at its limit of 1 packets", entry.GetProperty("summary").GetString());
        var detail = entry.GetProperty("detail");
        Assert.Equal("nginx1", detail.GetProperty("container").GetString());
        Assert.Equal("icmp", detail.GetProperty("filter").GetString());
        Assert.Equal("ICMP echo request id=5557 seq=1", detail.GetProperty("packets")[0].GetProperty("summary").GetString());
        Assert.Equal("192.168.176.3", detail.GetProperty("packets")[0].GetProperty("destination").GetString());
    }

    [Fact]
    public async Task DS0005_flags_a_filter_literal_the_capture_would_refuse()
    {
        var path = dir.Write("check.csx",
            "object Capture(string container, string? filter = null) => null;\n" +
            "Capture(\"nginx1\", \"icmp or arp\");\n" +
            "Capture(\"nginx1\", filter: \"port http\");\n" +
            "Capture(\"nginx1\", \"host nginx2\");\n" +
            "var f = \"icmpp\"; Capture(\"nginx1\", f);\n");

        var (errors, _) = await ScriptHost.CheckAsync(ScriptSources.Read(path));

        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"{dir.Path}/check.csx:3:27: error DS0005: 'port http' is not a capture filter: 'http' is not a port (0 to 65535)", errors[0]);
        Assert.StartsWith($"{dir.Path}/check.csx:4:19: error DS0005: 'host nginx2' is not a capture filter", errors[1]);
    }

    [Fact]
    public async Task The_REPL_shows_a_capture_as_a_table_of_packets_under_its_summary()
    {
        var packets = new[] { ArpRequest, EchoRequest, DnsAnswer, TcpRst }.Select(f => Decode(f).Packet).ToList();
        var console = new TestConsole().Width(140);

        await new ResultView(console).ShowAsync(new CaptureResult("nginx1", null, packets) { Bytes = packets.Sum(p => p.Length) }, default);

        var lines = console.Output.Split('\n');
        Assert.StartsWith("capture in nginx1: 4 packets, ", lines[0], StringComparison.Ordinal);
        foreach (var header in new[] { "TIME", "IF", "SOURCE", "DESTINATION", "PROTO", "SUMMARY" })
        {
            Assert.Contains(header, console.Output, StringComparison.Ordinal);
        }
        Assert.Contains(lines, l => l.Contains("00:00:00.000000", StringComparison.Ordinal) && l.Contains("eth0", StringComparison.Ordinal)
            && l.Contains("out", StringComparison.Ordinal) && l.Contains("ICMP echo request id=5557 seq=1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("127.0.0.11:53", StringComparison.Ordinal) && l.Contains("DNS answer cap-b = 192.168.176.3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("TCP RST", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Capture(\"rp", true)]
    [InlineData("await CaptureAsync(\"rp", true)]
    [InlineData("Capture(\"rp-web1\", \"ic", false)]
    [InlineData("Capture(web1, filter: \"ic", false)]
    public void Captures_container_argument_completes_live_names_and_its_filter_does_not(string text, bool site)
    {
        var found = LiveNameSite.Find(text, text.Length);

        Assert.Equal(site, found is { Kind: LiveNameKind.Container });
    }

    [Fact]
    public void The_embedded_dns_address_counts_as_dns_whatever_the_port()
    {
        // Docker redirects 127.0.0.11:53 to a random port inside the container: the query on lo carries that port.
        var (packet, facts) = Decode(DnsQuery, "lo");

        Assert.Equal(IPAddress.Parse("127.0.0.11"), facts.DestinationAddress);
        Assert.NotEqual(53, facts.DestinationPort);
        Assert.Equal("DNS", packet.Protocol);
    }
}
