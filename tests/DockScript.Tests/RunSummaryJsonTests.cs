using System.Net;
using System.Text.Json;
using DockScript.Cli;

namespace DockScript.Tests;

public sealed class RunSummaryJsonTests
{
    private enum Answer { EmbeddedDns, HostsFile }

    private sealed record Rtt(TimeSpan Min, TimeSpan? Avg, TimeSpan Max);

    private sealed record FakePing(bool Success, string Target, IPAddress? Address, int Sent, Rtt Rtt, Answer AnsweredBy, string? Reason);

    private sealed class Loop
    {
        public string Name { get; init; } = "loop";

        public Loop? Self { get; set; }
    }

    private sealed class Grumpy
    {
        public int Fine => 1;

        public int Throws => throw new InvalidOperationException("no");

        public string? AlsoThrows => throw new InvalidOperationException("no");
    }

    private static JsonElement Parse(object? detail) =>
        JsonDocument.Parse(RunSummaryJson.Detail(detail)?.ToJsonString() ?? "null").RootElement;

    [Fact]
    public void A_probe_record_becomes_plain_json()
    {
        var ping = new FakePing(true, "nginx2", IPAddress.Parse("172.18.0.3"), 4,
            new Rtt(TimeSpan.FromMilliseconds(0.05), TimeSpan.FromMilliseconds(0.1), TimeSpan.FromMilliseconds(1.5)), Answer.EmbeddedDns, null);

        var json = Parse(ping);

        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal("172.18.0.3", json.GetProperty("address").GetString());
        Assert.Equal(1.5, json.GetProperty("rtt").GetProperty("max").GetDouble());
        Assert.Equal(0.1, json.GetProperty("rtt").GetProperty("avg").GetDouble());
        Assert.Equal("EmbeddedDns", json.GetProperty("answeredBy").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void Cycles_are_cut_and_throwing_properties_degrade()
    {
        var loop = new Loop();
        loop.Self = loop;

        Assert.Equal(JsonValueKind.Null, Parse(loop).GetProperty("self").ValueKind);
        var grumpy = Parse(new Grumpy());
        Assert.Equal(1, grumpy.GetProperty("fine").GetInt32());
        Assert.Equal(0, grumpy.GetProperty("throws").GetInt32());
        Assert.Equal(JsonValueKind.Null, grumpy.GetProperty("alsoThrows").ValueKind);
    }

    [Fact]
    public void Addresses_subnets_types_and_odd_dictionaries_do_not_fail()
    {
        Assert.Equal("10.30.0.0/24", Parse(IPNetwork.Parse("10.30.0.0/24")).GetString());
        Assert.Equal("System.String", Parse(new { T = typeof(string) }).GetProperty("t").GetString());
        // A dictionary keyed by addresses cannot be a JSON object: the detail falls back to its text.
        Assert.Equal(JsonValueKind.String, Parse(new Dictionary<IPAddress, int> { [IPAddress.Loopback] = 1 }).ValueKind);
        Assert.Equal(JsonValueKind.Null, Parse(null).ValueKind);
    }

    [Fact]
    public void The_summary_has_outcome_tallies_journal_and_cleanup()
    {
        var summary = new RunSummary
        {
            Script = "check.csx",
            Args = ["a"],
            Outcome = "completed",
            ExitCode = 0,
            Session = "abc",
            Cache = "hit",
            CompileMs = 12.34,
            RunMs = 100,
            CleanupMs = 5,
            TotalMs = 120,
            Journal =
            [
                new JournalEntry(DateTimeOffset.UnixEpoch, "assert", true, "nginx1 has an IP"),
                new JournalEntry(DateTimeOffset.UnixEpoch, "ping", false, "ping nginx2: 100% loss", new FakePing(false, "nginx2", null, 1, new Rtt(default, null, default), Answer.HostsFile, "no route")),
            ],
            Created = ["web (container)"],
            Cleanup = new CleanupReport(["web"], [], []),
        };
        using var stream = new MemoryStream();

        RunSummaryJson.Write(stream, summary);

        var json = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal("completed", json.GetProperty("outcome").GetString());
        Assert.Equal(0, json.GetProperty("exitCode").GetInt32());
        Assert.Equal(12.3, json.GetProperty("durationsMs").GetProperty("compile").GetDouble());
        Assert.Equal(1, json.GetProperty("assertions").GetProperty("passed").GetInt32());
        Assert.Equal(1, json.GetProperty("probes").GetProperty("failed").GetInt32());
        var ping = json.GetProperty("journal")[1];
        Assert.Equal("ping", ping.GetProperty("kind").GetString());
        Assert.Equal("no route", ping.GetProperty("detail").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("journal")[0].GetProperty("detail").ValueKind);
        Assert.Equal("web", json.GetProperty("cleanup").GetProperty("removedContainers")[0].GetString());
    }
}
