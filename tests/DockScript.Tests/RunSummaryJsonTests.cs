using System.Text.Json;
using System.Text.Json.Serialization;
using DockScript.Cli;

namespace DockScript.Tests;

public sealed class RunSummaryJsonTests
{
    private static readonly PingResult Lost = new("nginx1", "nginx2", null, 1, 0, null, "no route", "namespace") { Cause = ProbeCause.NoSharedNetwork };

    private static readonly PingResult Answered = new("nginx1", "nginx2", "172.18.0.3", 4, 4,
        new RoundTrip(TimeSpan.FromMilliseconds(0.05), TimeSpan.FromMilliseconds(0.1), TimeSpan.FromMilliseconds(1.5)), null, "helper");

    private static JsonElement Write(RunSummary summary)
    {
        using var stream = new MemoryStream();
        RunSummaryJson.Write(stream, summary);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    private static JsonElement Detail(JournalEntry entry) => Write(new RunSummary { Journal = [entry] }).GetProperty("journal")[0].GetProperty("detail");

    [Fact]
    public void A_probe_result_becomes_plain_json()
    {
        var json = Detail(new JournalEntry.Ping(Answered));

        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal("172.18.0.3", json.GetProperty("address").GetString());
        Assert.Equal(1.5, json.GetProperty("rtt").GetProperty("max").GetDouble());
        Assert.Equal(0.1, json.GetProperty("rtt").GetProperty("avg").GetDouble());
        Assert.Equal("None", json.GetProperty("cause").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void Every_kind_of_entry_is_written_with_its_typed_detail()
    {
        var dns = new DnsResult("nginx1", "nginx2", ["172.18.0.3"], AnsweredBy.EmbeddedDns, "127.0.0.11", null, "namespace");
        var http = new HttpResult("nginx1", "http://nginx2/", "172.18.0.3", 200, "nginx2\n", new Dictionary<string, string> { ["Server"] = "busybox" },
            TimeSpan.FromMilliseconds(2.25), HttpFailure.None, null, "namespace");
        var masquerade = new MasqueradeResult("nginx1", new Dictionary<string, string> { ["bridge"] = "172.17.0.2" }, "198.18.0.1", "198.18.0.1", null, "namespace");
        var matrix = new Reachability(["nginx1", "nginx2"],
            [new ReachabilityCell("nginx1", "nginx2", Answered, Lost), new ReachabilityCell("nginx2", "nginx1", Answered, null)]);

        var journal = Write(new RunSummary
        {
            Journal =
            [
                new JournalEntry.Resolve(dns), new JournalEntry.Curl(http), new JournalEntry.Masquerade(masquerade),
                new JournalEntry.Reachability(matrix), new JournalEntry.Assertion(false, "nginx2 answers"),
            ],
        }).GetProperty("journal");

        Assert.Equal(["resolve", "curl", "masquerade", "reachability", "assert"], journal.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("EmbeddedDns", journal[0].GetProperty("detail").GetProperty("answeredBy").GetString());
        Assert.Equal("172.18.0.3", journal[0].GetProperty("detail").GetProperty("addresses")[0].GetString());
        Assert.Equal(2.25, journal[1].GetProperty("detail").GetProperty("elapsed").GetDouble());
        Assert.Equal("busybox", journal[1].GetProperty("detail").GetProperty("headers").GetProperty("Server").GetString());
        Assert.True(journal[2].GetProperty("detail").GetProperty("masqueraded").GetBoolean());
        Assert.Equal("172.17.0.2", journal[2].GetProperty("detail").GetProperty("sourceAddresses").GetProperty("bridge").GetString());
        var cell = journal[3].GetProperty("detail").GetProperty("cells")[0];
        Assert.Equal("ip only", cell.GetProperty("mark").GetString());
        Assert.Equal("NoSharedNetwork", cell.GetProperty("byName").GetProperty("cause").GetString());
        Assert.False(journal[3].GetProperty("success").GetBoolean());
        Assert.Equal("Assertion failed: nginx2 answers.", journal[4].GetProperty("summary").GetString());
        Assert.Equal(JsonValueKind.Null, journal[4].GetProperty("detail").ValueKind);
    }

    [Fact]
    public void Every_entry_kind_is_known_to_the_serializer()
    {
        // The journal is a closed hierarchy: a new kind must be listed for System.Text.Json, or its detail would be lost.
        var kinds = typeof(JournalEntry).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(JournalEntry))).ToHashSet();
        var listed = typeof(JournalEntry).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
            .Cast<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();

        Assert.NotEmpty(kinds);
        Assert.Equal(kinds.OrderBy(t => t.Name).Select(t => t.Name), listed.OrderBy(t => t.Name).Select(t => t.Name));
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
                new JournalEntry.Assertion(true, "nginx1 has an IP") { At = DateTimeOffset.UnixEpoch },
                new JournalEntry.Ping(Lost) { At = DateTimeOffset.UnixEpoch },
            ],
            Created = ["web (container)"],
            Cleanup = RunCleanup.Of(new CleanupReport(["web"], [], [])),
        };

        var json = Write(summary);

        Assert.Equal(
            ["script", "args", "outcome", "exitCode", "error", "errorLocation", "session", "cache", "durationsMs", "probes", "assertions", "journal", "created", "cleanup", "cleanupError"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("completed", json.GetProperty("outcome").GetString());
        Assert.Equal(0, json.GetProperty("exitCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        Assert.Equal(12.3, json.GetProperty("durationsMs").GetProperty("compile").GetDouble());
        Assert.Equal(120, json.GetProperty("durationsMs").GetProperty("total").GetDouble());
        Assert.Equal(1, json.GetProperty("assertions").GetProperty("passed").GetInt32());
        Assert.Equal(1, json.GetProperty("probes").GetProperty("failed").GetInt32());
        var ping = json.GetProperty("journal")[1];
        Assert.Equal(["at", "kind", "success", "summary", "detail"], ping.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ping", ping.GetProperty("kind").GetString());
        Assert.Equal(DateTimeOffset.UnixEpoch, ping.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(Lost.ToString(), ping.GetProperty("summary").GetString());
        Assert.Equal("no route", ping.GetProperty("detail").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("journal")[0].GetProperty("detail").ValueKind);
        Assert.Equal("web", json.GetProperty("cleanup").GetProperty("removedContainers")[0].GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("cleanup").GetProperty("kept").ValueKind);
    }

    [Fact]
    public void A_run_that_never_started_writes_nulls_not_missing_fields()
    {
        var json = Write(new RunSummary { Script = "typo.csx", Outcome = "usage", ExitCode = 64, Error = "Script 'typo.csx' does not exist." });

        Assert.Equal(JsonValueKind.Null, json.GetProperty("durationsMs").GetProperty("compile").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("cleanup").ValueKind);
        Assert.Equal(0, json.GetProperty("probes").GetProperty("total").GetInt32());
        Assert.Equal("Script 'typo.csx' does not exist.", json.GetProperty("error").GetString());
    }
}
