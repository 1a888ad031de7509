using System.Diagnostics;

namespace DockScript.IntegrationTests;

/// <summary>
/// Capture on the real engine: the packets a probe really sends (ICMP, ARP, DNS to the embedded
/// server, TCP SYN and RST), the filter, the limit, the journal, pcap files that Debian's tcpdump
/// reads back, the outside server's view of masquerade (S7), and the one sentence of the portable path.
/// </summary>
public sealed class CaptureTests(EngineFixture fx) : EngineTest(fx)
{
    private (Container A, Container B) TwoOnANetwork(string tag)
    {
        Networks.Create(Name($"cap-{tag}"));
        var a = Containers.Run("dockscript/web", name: Name($"cap-{tag}-a"), network: Name($"cap-{tag}"));
        var b = Containers.Run("dockscript/web", name: Name($"cap-{tag}-b"), network: Name($"cap-{tag}"));
        return (a, b);
    }

    [Fact]
    public void A_ping_is_seen_as_ARP_then_echo_requests_and_replies()
    {
        var (a, b) = TwoOnANetwork("ping");
        var cap = Lab.Probes.Capture(a);

        var ping = Lab.Probes.Ping(a, b, count: 2);
        var seen = cap.Stop();

        Assert.True(ping.Success, ping.ToString());
        var lines = seen.Packets.Select(p => p.Summary).ToList();
        // A fresh namespace has no neighbour for b: the first echo waits for ARP.
        var arp = Assert.Single(seen.Packets, p => p.Summary == $"ARP who-has {b.IP} tell {a.IP}");
        Assert.True(arp.Outgoing);
        Assert.Equal("eth0", arp.Interface);
        Assert.Contains(seen.Packets, p => p.Protocol == "ARP" && p.Summary.StartsWith($"ARP {b.IP} is-at ", StringComparison.Ordinal));
        foreach (var seq in new[] { 1, 2 })
        {
            var request = Assert.Single(seen.Packets, p => p.Summary.StartsWith("ICMP echo request", StringComparison.Ordinal) && p.Summary.EndsWith($" seq={seq}", StringComparison.Ordinal));
            Assert.Equal((a.IP, b.IP, "ICMP", true), (request.Source, request.Destination, request.Protocol, request.Outgoing));
            var reply = Assert.Single(seen.Packets, p => p.Summary.StartsWith("ICMP echo reply", StringComparison.Ordinal) && p.Summary.EndsWith($" seq={seq}", StringComparison.Ordinal));
            Assert.Equal((b.IP, a.IP, false), (reply.Source, reply.Destination, reply.Outgoing));
            Assert.True(reply.Time >= request.Time);
        }
        Assert.True(lines.IndexOf($"ARP who-has {b.IP} tell {a.IP}") < lines.FindIndex(l => l.StartsWith("ICMP echo reply", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.False(seen.LimitReached);
        Assert.Equal(seen.Packets.Sum(p => (long)p.Length), seen.Bytes);
    }

    [Fact]
    public void A_lookup_is_a_query_to_the_embedded_DNS_and_its_answer()
    {
        var (a, b) = TwoOnANetwork("dns");
        var cap = Lab.Probes.Capture(a, "udp");

        var resolved = Lab.Probes.Resolve(a, b.Name);
        var seen = cap.Stop();

        Assert.Equal(AnsweredBy.EmbeddedDns, resolved.AnsweredBy);
        var query = Assert.Single(seen.Packets, p => p.Summary == $"DNS query A {b.Name}");
        Assert.Equal(("lo", "DNS"), (query.Interface, query.Protocol));
        Assert.StartsWith("127.0.0.11:", query.Destination, StringComparison.Ordinal);
        var answer = Assert.Single(seen.Packets, p => p.Summary == $"DNS answer {b.Name} = {b.IP}");
        Assert.Equal("127.0.0.11:53", answer.Source);
        Assert.All(seen.Packets, p => Assert.True(p.Protocol is "DNS" or "UDP", p.ToString()));
    }

    [Fact]
    public void A_refused_connection_is_a_SYN_answered_by_RST_and_the_filter_keeps_only_TCP()
    {
        var (a, b) = TwoOnANetwork("tcp");
        var cap = Lab.Probes.Capture(a, $"tcp and host {b.IP}");

        var refused = Lab.Probes.Curl(a, $"http://{b.IP}:81/");
        var served = Lab.Probes.Curl(a, $"http://{b.IP}/");
        var ping = Lab.Probes.Ping(a, b, count: 1);
        var seen = cap.Stop();

        Assert.Equal(HttpFailure.Refused, refused.Failure);
        Assert.Equal(200, served.StatusCode);
        Assert.True(ping.Success, ping.ToString());
        var syn = Assert.Single(seen.Packets, p => p.Summary == "TCP SYN :81");
        Assert.Equal(b.IP + ":81", syn.Destination);
        var rst = Assert.Single(seen.Packets, p => p.Summary == "TCP RST");
        Assert.Equal(b.IP + ":81", rst.Source);
        Assert.Contains(seen.Packets, p => p.Summary == "TCP SYN :80");
        Assert.Contains(seen.Packets, p => p.Summary == "TCP SYN-ACK :80");
        // The ping happened (above) but the filter kept it out, and the ARP too.
        Assert.All(seen.Packets, p => Assert.Equal("TCP", p.Protocol));
    }

    [Fact]
    public async Task A_saved_pcap_file_is_read_back_by_tcpdump()
    {
        var (a, b) = TwoOnANetwork("pcap");
        var cap = await Lab.Probes.CaptureAsync(a);
        Assert.True((await Lab.Probes.PingAsync(a, b, count: 2)).Success);
        Assert.Equal(AnsweredBy.EmbeddedDns, (await Lab.Probes.ResolveAsync(a, b.Name)).AnsweredBy);
        var seen = await cap.StopAsync();
        var path = Path.Combine(Path.GetTempPath(), Name("capture.pcap"));
        try
        {
            await cap.SavePcapAsync(path);

            var (code, output, errors) = await RunAsync("tcpdump", "-nr", path);
            Assert.True(code == 0, errors);
            Assert.Contains("LINUX_SLL", errors, StringComparison.Ordinal);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(seen.Packets.Count, lines.Length);
            Assert.Contains(lines, l => l.Contains($"IP {a.IP} > {b.IP}: ICMP echo request", StringComparison.Ordinal) && l.Contains("seq 2", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"IP {b.IP} > {a.IP}: ICMP echo reply", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"ARP, Request who-has {b.IP} tell {a.IP}", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"A {b.IP}", StringComparison.Ordinal) && l.Contains("127.0.0.11.53 >", StringComparison.Ordinal));
            // Same times as the decoded packets, to the microsecond.
            Assert.StartsWith(seen.Packets[0].Time.ToString("HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture), lines[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_capture_stops_itself_at_its_packet_limit_and_says_so()
    {
        var (a, b) = TwoOnANetwork("limit");
        var cap = Lab.Probes.Capture(a, "icmp", maxPackets: 3);

        var ping = Lab.Probes.Ping(a, b, count: 3);
        var seen = cap.Stop();

        Assert.True(ping.Success, ping.ToString());
        Assert.True(seen.LimitReached);
        Assert.True(cap.LimitReached);
        Assert.False(cap.Running);
        Assert.Equal(3, seen.Packets.Count);
        Assert.Equal("3 packets", seen.Limit);
        Assert.EndsWith("; stopped at its limit of 3 packets", seen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_finished_capture_is_in_the_journal_once_and_Stop_again_gives_the_same_result()
    {
        var (a, b) = TwoOnANetwork("journal");
        var cap = Lab.Probes.Capture(a, "icmp");
        Assert.True(cap.Running);
        Lab.Probes.Ping(a, b, count: 1);

        var first = cap.Stop();
        var again = cap.Stop();
        cap.Dispose();

        Assert.Same(first, again);
        var entry = Assert.Single(Lab.Journal.Entries.OfType<JournalEntry.Capture>(), e => e.Detail.Container == a.Name);
        Assert.Equal("icmp", entry.Detail.Filter);
        Assert.Equal(2, entry.Detail.Packets.Count);
        Assert.Equal(first.ToString(), entry.Summary);
    }

    [Fact]
    public void S7_the_outside_server_sees_a_masqueraded_request_come_from_the_hosts_address()
    {
        var web = Containers.Run("dockscript/web", name: Name("cap-masq"));
        Networks.Create(Name("cap-plain"), ipMasquerade: false);
        var plain = Containers.Run("dockscript/web", name: Name("cap-plain-web"), network: Name("cap-plain"));
        var outside = Lab.Probes.CaptureOutside("tcp port 80");

        var masqueraded = Lab.Probes.Masquerade(web);
        var own = Lab.Probes.Masquerade(plain);
        var seen = outside.Stop();

        Assert.True(masqueraded.Masqueraded, masqueraded.ToString());
        Assert.False(own.Masqueraded, own.ToString());
        Assert.Equal("outside", seen.Container);
        var syns = seen.Packets.Where(p => p.Summary == "TCP SYN :80").ToList();
        Assert.Contains(syns, p => p.Source.StartsWith(masqueraded.HostAddress + ":", StringComparison.Ordinal));
        Assert.Contains(syns, p => p.Source.StartsWith(plain.IP + ":", StringComparison.Ordinal));
        Assert.DoesNotContain(seen.Packets, p => p.Source.StartsWith(web.IP + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_the_portable_path_capture_says_it_needs_the_local_path()
    {
        await using var portable = await Fx.PortableViewAsync();
        var a = Containers.Run("dockscript/web", name: Name("cap-portable"));

        var error = Assert.Throws<DockScriptException>(() => portable.Probes.Capture(a));

        Assert.StartsWith("Capture needs the local path, a root DockScript on the engine's own host, but this session is forced onto the portable path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stopped_container_and_a_bad_filter_are_one_sentence_each()
    {
        var a = Containers.Run("dockscript/web", name: Name("cap-stopped"));
        a.Stop();

        var stopped = Assert.Throws<DockScriptException>(() => Lab.Probes.Capture(a));
        var bad = Assert.Throws<DockScriptException>(() => Lab.Probes.Capture(a, "port http"));

        Assert.Equal($"{a.Name} is not running, so it has no network namespace to capture in; start it first.", stopped.Message);
        Assert.StartsWith("'port http' is not a capture filter", bad.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
