namespace DockScript.Tests;

public sealed class DnsMessageTests
{
    [Fact]
    public void A_query_asks_for_the_A_record_with_recursion()
    {
        var q = DnsMessage.Query(0x1234, "nginx2");
        Assert.Equal(new byte[] { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 }, q[..12]);
        Assert.Equal(new byte[] { 6, (byte)'n', (byte)'g', (byte)'i', (byte)'n', (byte)'x', (byte)'2', 0, 0, 1, 0, 1 }, q[12..]);
    }

    [Fact]
    public void A_trailing_dot_is_the_same_name_and_bad_labels_are_refused()
    {
        Assert.Equal(DnsMessage.Query(1, "a.b"), DnsMessage.Query(1, "a.b."));
        Assert.Throws<ArgumentException>(() => DnsMessage.Query(1, "a..b"));
        Assert.Throws<ArgumentException>(() => DnsMessage.Query(1, new string('x', 64)));
    }

    [Fact]
    public void An_answer_with_a_compressed_name_yields_its_addresses()
    {
        var query = DnsMessage.Query(7, "web");
        var reply = new List<byte>(query);
        reply[2] = 0x81; reply[3] = 0x80;   // response, RD, RA, rcode 0
        reply[7] = 2;                        // two answers
        foreach (var ip in new[] { new byte[] { 10, 0, 0, 5 }, [10, 0, 0, 6] })
        {
            reply.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            reply.AddRange(ip);
        }
        var parsed = DnsMessage.Parse(reply.ToArray(), 7);
        Assert.NotNull(parsed);
        Assert.Equal(DnsStatus.Answer, parsed!.Status);
        Assert.Equal(["10.0.0.5", "10.0.0.6"], parsed.Addresses);
    }

    [Theory]
    [InlineData(3, (int)DnsStatus.NoSuchName)]
    [InlineData(2, (int)DnsStatus.ServerFailure)]
    [InlineData(5, (int)DnsStatus.Refused)]
    public void Error_codes_map_to_statuses(int rcode, int expected)
    {
        var status = (DnsStatus)expected;
        var reply = DnsMessage.Query(9, "x");
        reply[2] = 0x81; reply[3] = (byte)(0x80 | rcode);
        Assert.Equal(status, DnsMessage.Parse(reply, 9)!.Status);
    }

    [Fact]
    public void A_reply_to_another_query_or_a_question_is_ignored()
    {
        var reply = DnsMessage.Query(9, "x");
        Assert.Null(DnsMessage.Parse(reply, 9));          // not a response (QR bit clear)
        reply[2] = 0x81;
        Assert.Null(DnsMessage.Parse(reply, 10));         // another id
        Assert.Null(DnsMessage.Parse(reply[..5], 10));    // another id, even cut short
    }

    [Fact]
    public void A_truncated_answer_is_unreadable_not_a_crash()
    {
        var reply = Reply(4, "x");
        reply[7] = 1;
        reply.AddRange([0xC0, 12, 0, 1]);
        var cut = DnsMessage.Parse(reply.ToArray(), 4)!;
        Assert.Equal(DnsStatus.Malformed, cut.Status);
        Assert.Equal("answer 1 of 1 is cut short at byte 23", cut.Detail);

        // Cut inside a label, in the question and in an answer's own (uncompressed) name.
        var question = Reply(4, "nginx2").ToArray();
        var inLabel = DnsMessage.Parse(question[..15], 4)!;
        Assert.Equal(DnsStatus.Malformed, inLabel.Status);
        Assert.Equal("question 1 of 1: a 6-byte label at byte 12 is cut short at byte 15", inLabel.Detail);
        var answer = Reply(4, "x");
        answer[7] = 1;
        answer.AddRange([5, (byte)'n', (byte)'g']);
        Assert.Equal("answer 1 of 1: a 5-byte label at byte 19 is cut short at byte 22", DnsMessage.Parse(answer.ToArray(), 4)!.Detail);
        // Every cut of a good reply is either the reply itself or unreadable, never an exception.
        var good = Reply(4, "web.lab");
        good[7] = 1;
        good.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 5]);
        for (var n = 0; n < good.Count; n++)
        {
            Assert.Equal(DnsStatus.Malformed, DnsMessage.Parse(good.ToArray().AsSpan(0, n), 4)!.Status);
        }
        Assert.Equal(["10.0.0.5"], DnsMessage.Parse(good.ToArray(), 4)!.Addresses);
    }

    [Fact]
    public void A_zero_length_reply_is_unreadable()
    {
        var empty = DnsMessage.Parse([], 4)!;
        Assert.Equal(DnsStatus.Malformed, empty.Status);
        Assert.Equal("0 bytes, shorter than a DNS header (12)", empty.Detail);
    }

    [Fact]
    public void A_compression_pointer_loop_is_unreadable()
    {
        var self = Reply(4, "x");
        self[7] = 1;
        self.AddRange([0xC0, 19, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 5]);   // the answer's name points at itself
        Assert.Equal("answer 1 of 1: a compression pointer at byte 19 points forward or to itself (19), which could loop", DnsMessage.Parse(self.ToArray(), 4)!.Detail);
        var pair = Reply(4, "x");
        pair[5] = 2;                                     // two questions: the second's name points at a pointer back to itself
        pair.AddRange([0xC0, 21, 0, 1, 0, 1]);
        pair[12] = 0xC0; pair[13] = 19;                  // the first question's name now points forward at the second's
        Assert.Equal(DnsStatus.Malformed, DnsMessage.Parse(pair.ToArray(), 4)!.Status);
    }

    [Fact]
    public void Counts_larger_than_the_data_are_unreadable()
    {
        var many = Reply(4, "x");
        many[6] = 0xFF; many[7] = 0xFF;                  // 65535 answers, none present
        Assert.Equal("answer 1 of 65535: a name is cut short at byte 19", DnsMessage.Parse(many.ToArray(), 4)!.Detail);
        var questions = Reply(4, "x");
        questions[5] = 200;
        Assert.StartsWith("question 2 of 200:", DnsMessage.Parse(questions.ToArray(), 4)!.Detail);
        var data = Reply(4, "x");
        data[7] = 1;
        data.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF, 10]);
        Assert.Equal("answer 1 of 1 claims 65535 bytes of data, but only 1 remain", DnsMessage.Parse(data.ToArray(), 4)!.Detail);
    }

    [Fact]
    public void An_unreadable_reply_is_a_failed_resolve_with_a_reason()
    {
        var a = new ContainerView("a", "a-id", "running", "net", new Dictionary<string, EndpointView> { ["net"] = new("n1", "10.1.0.2", []) });
        var why = Diagnosis.NameFailure(new EngineView([], []), a, ResolvConf.Parse("nameserver 10.1.0.9"), "ghost",
            DnsMessage.Parse([], 1), TimeSpan.FromSeconds(2));
        Assert.Equal(ProbeCause.UnknownName, why.Cause);
        Assert.EndsWith("gave no address: its reply could not be read (0 bytes, shorter than a DNS header (12)).", why.Text);
    }

    /// <summary>The query for <paramref name="name"/> turned into an empty, successful response.</summary>
    private static List<byte> Reply(ushort id, string name)
    {
        var reply = DnsMessage.Query(id, name).ToList();
        reply[2] = 0x81; reply[3] = 0x80;
        return reply;
    }
}

public sealed class ProbeOutputTests
{
    [Fact]
    public void An_http_body_over_one_mebibyte_is_cut_there_and_marked()
    {
        var big = ProbeOutput.ParseHttp("HTTP/1.0 200 OK\r\n\r\n" + new string('x', HttpResult.BodyLimit + 10));
        Assert.True(big.Truncated);
        Assert.Equal(HttpResult.BodyLimit, big.Body.Length);
        var exact = ProbeOutput.ParseHttp("HTTP/1.0 200 OK\r\n\r\n" + new string('\u00e9', HttpResult.BodyLimit / 2));
        Assert.False(exact.Truncated);                                   // 2 bytes a character: exactly the limit
        var over = ProbeOutput.Cap(new string('\u00e9', HttpResult.BodyLimit / 2 + 1));
        Assert.Equal((HttpResult.BodyLimit / 2, true), (over.Body.Length, over.Cut));
    }

    [Fact]
    public void Garbled_numbers_found_by_the_fuzz_test_are_no_reply_not_a_crash()
    {
        var echo = ProbeOutput.ParsePing("64 bytes: time=0.34.4 ms\n64 bytes: time=1e400 ms\n99999999999 packets transmitted\n", 2);
        Assert.Equal((2, 0), (echo.Sent, echo.Replies.Count));
        Assert.Equal(HttpFailure.Protocol, ProbeOutput.ParseHttp("HTTP/1.1 40\u0ed9 Not Found\n\n").Failure);   // a Lao digit is not a status
    }

    [Fact]
    public void Busybox_ping_output_gives_sent_and_each_round_trip()
    {
        const string text = """
            PING 172.18.0.3 (172.18.0.3): 56 data bytes
            64 bytes from 172.18.0.3: seq=0 ttl=64 time=0.344 ms
            64 bytes from 172.18.0.3: seq=2 ttl=64 time=0.115 ms

            --- 172.18.0.3 ping statistics ---
            3 packets transmitted, 2 packets received, 33% packet loss
            round-trip min/avg/max = 0.115/0.229/0.344 ms
            """;
        var echo = ProbeOutput.ParsePing(text, 3);
        Assert.Equal(3, echo.Sent);
        Assert.Equal([TimeSpan.FromMilliseconds(0.344), TimeSpan.FromMilliseconds(0.115)], echo.Replies);
    }

    [Fact]
    public void A_ping_cut_short_counts_what_was_asked()
    {
        var echo = ProbeOutput.ParsePing("PING 10.0.0.9 (10.0.0.9): 56 data bytes\n", 4);
        Assert.Equal((4, 0), (echo.Sent, echo.Replies.Count));
    }

    [Fact]
    public void Nslookup_answers_skip_the_servers_own_address()
    {
        const string text = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tpb-b\nAddress: 172.18.0.3\n\n";
        var reply = ProbeOutput.ParseNslookup(text);
        Assert.Equal(DnsStatus.Answer, reply.Status);
        Assert.Equal(["172.18.0.3"], reply.Addresses);
    }

    [Theory]
    [InlineData("** server can't find nope.: NXDOMAIN", (int)DnsStatus.NoSuchName)]
    [InlineData("** server can't find nope.: SERVFAIL", (int)DnsStatus.ServerFailure)]
    [InlineData(";; connection timed out; no servers could be reached", (int)DnsStatus.Timeout)]
    [InlineData("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\tx\n", (int)DnsStatus.NoAddress)]
    public void Nslookup_failures_are_told_apart(string text, int status) =>
        Assert.Equal((DnsStatus)status, ProbeOutput.ParseNslookup(text).Status);

    [Fact]
    public void A_raw_http_response_splits_into_status_headers_and_body()
    {
        var x = ProbeOutput.ParseHttp("HTTP/1.1 200 OK\r\nContent-type: text/html\r\nContent-Length: 13\r\n\r\n61d6a809f124\n");
        Assert.Equal(200, x.Status);
        Assert.Equal("text/html", x.Headers["Content-Type"]);
        Assert.Equal("61d6a809f124\n", x.Body);
        Assert.Equal(HttpFailure.None, x.Failure);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Type: text/plain\n\n[::ffff:198.18.0.1]\n")] // busybox httpd passing a CGI's own headers on
    [InlineData("HTTP/1.0 200 OK\nContent-Type: text/plain\n\n[::ffff:198.18.0.1]\n")]
    public void Headers_may_end_in_a_bare_line_feed(string raw)
    {
        var x = ProbeOutput.ParseHttp(raw);
        Assert.Equal(200, x.Status);
        Assert.Equal("text/plain", x.Headers["Content-Type"]);
        Assert.Equal("[::ffff:198.18.0.1]\n", x.Body);
    }

    [Fact]
    public void A_response_without_a_body_has_an_empty_one()
    {
        var x = ProbeOutput.ParseHttp("HTTP/1.1 204 No Content\r\nServer: x\r\n");
        Assert.Equal(204, x.Status);
        Assert.Equal("x", x.Headers["Server"]);
        Assert.Equal("", x.Body);
    }

    [Theory]
    [InlineData("", "without a response")]
    [InlineData("SSH-2.0-OpenSSH\r\n", "not HTTP")]
    public void Something_that_is_not_http_is_a_protocol_failure(string raw, string detail)
    {
        var x = ProbeOutput.ParseHttp(raw);
        Assert.Null(x.Status);
        Assert.Equal(HttpFailure.Protocol, x.Failure);
        Assert.Contains(detail, x.Detail);
    }
}

public sealed class OutsideTests
{
    [Theory]
    [InlineData("[::ffff:198.18.7.1]\n", "198.18.7.1")]
    [InlineData("172.17.0.2\n", "172.17.0.2")]
    [InlineData("[fd00::5]", "fd00::5")]
    [InlineData("<html>", null)]
    [InlineData("", null)]
    public void The_caller_is_read_from_the_page(string body, string? caller) =>
        Assert.Equal(caller, Outside.CallerFrom(body));
}

public sealed class DiagnosisTests
{
    private static ContainerView C(string name, string mode, params (string Net, string Id, string? Ip)[] nets) =>
        new(name, name + "-id", "running", mode,
            nets.ToDictionary(n => n.Net, n => new EndpointView(n.Id, n.Ip, []), StringComparer.Ordinal));

    private static readonly EngineView Empty = new([], []);

    [Fact]
    public void Containers_on_different_networks_share_none_and_the_fix_is_named()
    {
        var a = C("web4", "my-network", ("my-network", "n1", "10.1.0.2"));
        var b = C("web1", "default", ("bridge", "n0", "172.17.0.2"));
        var why = Diagnosis.PathProblem(a, b)!;
        Assert.Equal(ProbeCause.NoSharedNetwork, why.Cause);
        Assert.Equal("web4 and web1 share no network: web4 is on 'my-network', web1 on 'bridge'; connect one to the other's network, e.g. Networks[\"bridge\"].Connect(\"web4\").", why.Text);
        Assert.Null(Diagnosis.PathProblem(a, a with { Name = "twin", Id = "t" }));
    }

    [Fact]
    public void A_stopped_target_and_a_none_target_are_named()
    {
        var a = C("a", "default", ("bridge", "n0", "172.17.0.2"));
        var stopped = Diagnosis.PathProblem(a, C("b", "default") with { State = "exited" })!;
        Assert.Equal(ProbeCause.TargetNotRunning, stopped.Cause);
        Assert.Contains("b is stopped, so nothing answers for it; start it again (Containers[\"b\"].Start()).", stopped.Text);
        var hermit = Diagnosis.PathProblem(a, C("b", "none"))!;
        Assert.Equal(ProbeCause.TargetIsolated, hermit.Cause);
        Assert.Contains("'none' network", hermit.Text);
        var fromHermit = Diagnosis.PathProblem(C("h", "none"), a)!;
        Assert.Equal(ProbeCause.SourceIsolated, fromHermit.Cause);
        Assert.Contains("it has only loopback, so it cannot reach", fromHermit.Text);
        var notRunning = Diagnosis.SourceProblem(C("s", "default") with { State = "created" })!;
        Assert.Equal((ProbeCause.SourceNotRunning, "s is not running (created); probes run inside its network namespace, so start it first."), (notRunning.Cause, notRunning.Text));
    }

    [Fact]
    public void A_default_bridge_source_gets_the_link_advice()
    {
        var a = C("nginx1", "default", ("bridge", "n0", "172.17.0.2"));
        var why = Diagnosis.NameFailure(Empty, a, ResolvConf.Parse("nameserver 127.0.0.1"), "nginx2", new DnsReply(DnsStatus.Unreachable, []), TimeSpan.FromSeconds(2));
        Assert.Equal(ProbeCause.DefaultBridgeHasNoNames, why.Cause);
        Assert.Equal("nginx1 is only on the default bridge network, which has no name resolution, and 'nginx2' is not in its /etc/hosts; use a user-defined network or a link (links: new[] { \"nginx2\" }).", why.Text);
    }

    [Fact]
    public void An_unknown_name_on_a_user_network_blames_the_embedded_dns()
    {
        var a = C("a", "net", ("net", "n1", "10.1.0.2"));
        var why = Diagnosis.NameFailure(Empty, a, ResolvConf.Parse("nameserver 127.0.0.11\noptions ndots:0"), "ghost", new DnsReply(DnsStatus.Timeout, []), TimeSpan.FromSeconds(2));
        Assert.Equal(ProbeCause.UnknownName, why.Cause);
        Assert.StartsWith("the embedded DNS (127.0.0.11) knows no container, alias or service named 'ghost' on 'net'", why.Text);
        Assert.EndsWith("no answer within 2 s.", why.Text);
    }

    [Fact]
    public void A_known_name_on_another_network_names_that_network_and_the_fix()
    {
        var a = C("a", "net", ("net", "n1", "10.1.0.2"));
        var b = C("b", "other", ("other", "n2", "10.2.0.2"));
        var view = new EngineView([a, b], []);
        var why = Diagnosis.NameFailure(view, a, ResolvConf.Parse("nameserver 127.0.0.11"), "b", null, TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeCause.NameOnOtherNetwork, why.Cause);
        Assert.Equal("'b' is a container on 'other'; a is only on 'net', where the embedded DNS does not know it. Fix: Networks[\"other\"].Connect(\"a\").", why.Text);
    }

    [Fact]
    public void No_answer_is_explained_by_the_address_owner_the_network_or_internal_isolation()
    {
        var net = new NetworkView("net", "n1", "bridge", false, ["10.1.0.0/24"]);
        var inner = new NetworkView("inner", "n3", "bridge", true, ["10.3.0.0/24"]);
        var a = C("a", "net", ("net", "n1", "10.1.0.2"));
        var view = new EngineView([a], [net, inner]);
        var vacant = Diagnosis.NoAnswer(view, a, "10.1.0.99", null, TimeSpan.FromSeconds(1), "the ping");
        Assert.Equal(ProbeCause.AddressVacant, vacant.Cause);
        Assert.Contains("no running container has 10.1.0.99 on 'net'", vacant.Text);
        var elsewhere = Diagnosis.NoAnswer(view, a, "10.3.0.5", null, TimeSpan.FromSeconds(1), "the ping");
        Assert.Equal(ProbeCause.NoSharedNetwork, elsewhere.Cause);
        Assert.Contains("10.3.0.5 is on 'inner', which a is not on", elsewhere.Text);
        var silent = Diagnosis.NoAnswer(view, a, "192.0.2.77", null, TimeSpan.FromMilliseconds(500), "the ping");
        Assert.Equal((ProbeCause.NoAnswer, "192.0.2.77 did not answer the ping within 0.5 s."), (silent.Cause, silent.Text));
        var walled = Diagnosis.NoAnswer(view, C("w", "inner", ("inner", "n3", "10.3.0.2")), "10.1.0.99", null, TimeSpan.FromSeconds(1), "the ping");
        Assert.Equal(ProbeCause.InternalNetwork, walled.Cause);
        Assert.StartsWith("'inner' is internal: Docker drops what w sends to 10.1.0.99, which is outside 10.3.0.0/24", walled.Text);
    }
}

public sealed class ProbeResultTests
{
    [Fact]
    public void Ping_results_read_like_ping()
    {
        var ok = new PingResult("a", "b", "10.0.0.3", 4, 3, new RoundTrip(TimeSpan.FromMilliseconds(0.1), TimeSpan.FromMilliseconds(0.2), TimeSpan.FromMilliseconds(0.3)), null, "namespace");
        Assert.True(ok.Success);
        Assert.Equal(25, ok.LossPercent);
        Assert.Equal("ping a → b (10.0.0.3): 3/4 replies, 25% loss, rtt min/avg/max 0.100/0.200/0.300 ms", ok.ToString());
        var notSent = new PingResult("a", "b", null, 0, 0, null, "a is not running (exited); start it first.", "helper");
        Assert.False(notSent.Success);
        Assert.Equal(100, notSent.LossPercent);
        Assert.Equal("ping a → b: not sent: a is not running (exited); start it first.", notSent.ToString());
    }

    [Fact]
    public void Round_trips_summarise_min_mean_and_max()
    {
        var rtt = RoundTrip.Of([TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(3)]);
        Assert.Equal((1.0, 2.0, 3.0), (rtt!.Min.TotalMilliseconds, rtt.Avg.TotalMilliseconds, rtt.Max.TotalMilliseconds));
        Assert.Null(RoundTrip.Of([]));
    }

    [Fact]
    public void A_matrix_renders_a_grid_and_the_reasons()
    {
        PingResult P(bool ok, string? why = null) => new("x", "y", "10.0.0.1", 1, ok ? 1 : 0, null, why, "namespace");
        var m = new Reachability(["a", "b"],
        [
            new ReachabilityCell("a", "b", P(true), P(true)),
            new ReachabilityCell("b", "a", P(true), P(false, "b is only on the default bridge network")),
        ]);
        Assert.Equal("2 of 2 pairs by IP, 1 of 2 by name", m.Summary);
        Assert.Single(m.Failures);
        Assert.Equal("ip only", m["b", "a"].Mark);
        Assert.Equal("from \\ to   a         b\na           ·         ip+name\nb           ip only   ·\nb → a by name: b is only on the default bridge network", m.ToString());
        Assert.Throws<DockScriptException>(() => m["a", "c"]);
    }
}
