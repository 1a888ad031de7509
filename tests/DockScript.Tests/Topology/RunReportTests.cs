using System.Text;
using DockScript.Cli;

namespace DockScript.Tests;

public class RunReportTests
{
    private static RunSummary Summary(string outcome = "runtime-error", int exitCode = 4) => new()
    {
        Script = "/tmp/lab.csx",
        Outcome = outcome,
        ExitCode = exitCode,
        Error = "Assertion failed: web1 reaches db.",
        ErrorLocation = "lab.csx(9,1)",
        CompileMs = 12.3,
        RunMs = 456.7,
        CleanupMs = 89,
        TotalMs = 600,
        Journal =
        [
            new JournalEntry.Ping(new PingResult("web1", "app", "172.30.0.3", 1, 1, null, null, "namespace")),
            new JournalEntry.Ping(new PingResult("web1", "db", null, 0, 0, null, "web1 and db share no network.", "namespace") { Cause = ProbeCause.NoSharedNetwork }),
            new JournalEntry.Reachability(TopologySamples.Matrix()),
            new JournalEntry.Assertion(false, "web1 reaches db"),
        ],
    };

    [Fact]
    public async Task The_report_names_everything_and_every_cause_and_fetches_nothing()
    {
        var html = await RunReport.RenderAsync(Summary(), TopologySamples.Lab(), CancellationToken.None);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var name in new[] { "frontend", "backend", "app", "db", "hermit", "web1" })
        {
            Assert.Contains(name, html, StringComparison.Ordinal);
        }
        Assert.Contains("runtime-error, exit code 4", html, StringComparison.Ordinal);
        Assert.Contains("lab.csx(9,1): Assertion failed: web1 reaches db.", html, StringComparison.Ordinal);
        // The grid: a failing cell carries its cause on hover, and the list below says it again.
        Assert.Contains("<td class=\"fail\" title=\"web1 → db by IP: web1 and db share no network.\">", html, StringComparison.Ordinal);
        Assert.Contains("<li><b>db → web1</b> by IP (NoSharedNetwork): db and web1 share no network.</li>", html, StringComparison.Ordinal);
        // The journal in order, each failure with its reason.
        var ping = html.IndexOf("NoSharedNetwork: web1 and db share no network.", StringComparison.Ordinal);
        var assertion = html.IndexOf("The script expected: web1 reaches db.", StringComparison.Ordinal);
        Assert.InRange(ping, 0, assertion);
        // The topology as inline SVG with the matrix over it.
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        Assert.Contains("reach_fail", html, StringComparison.Ordinal);
        Assert.Contains("456.7 ms", html, StringComparison.Ordinal);
        // Self-contained.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        // No capture entries: no Captures section.
        Assert.DoesNotContain("id=\"captures\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_never_reached_the_engine_still_has_a_report()
    {
        var summary = new RunSummary { Script = "broken.csx", Outcome = "compile-error", ExitCode = 3, Error = "broken.csx(1,1): error CS1002: ; expected" };

        var html = await RunReport.RenderAsync(summary, topology: null, CancellationToken.None);

        Assert.Contains("compile-error, exit code 3", html, StringComparison.Ordinal);
        Assert.Contains("error CS1002: ; expected", html, StringComparison.Ordinal);
        Assert.Contains("The script did not reach the engine", html, StringComparison.Ordinal);
        Assert.Contains("The run recorded no probe and no assertion.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"reachability\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_from_the_run_is_escaped()
    {
        var summary = new RunSummary { Script = "x.csx", Outcome = "runtime-error", Error = "<img src=x onerror=alert(1)>" };

        var html = await RunReport.RenderAsync(summary, null, CancellationToken.None);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_captures_section_appears_only_for_capture_entries()
    {
        var html = new StringBuilder();

        RunReport.Captures(html, Summary().Journal);

        Assert.Equal("", html.ToString());
    }

    [Fact]
    public void A_capture_is_a_packet_table_with_each_packet_escaped()
    {
        var packets = new[]
        {
            new CapturedPacket(DateTimeOffset.UnixEpoch, "eth0", true, "172.30.0.2", "172.30.0.3", "ICMP", "ICMP echo request id=7 seq=1", 84),
            new CapturedPacket(DateTimeOffset.UnixEpoch, "lo", false, "127.0.0.11:53", "127.0.0.1:40117", "DNS", "DNS answer <db> = 172.30.0.4", 70),
        };
        var journal = new JournalEntry[] { new JournalEntry.Capture(new CaptureResult("web1", "icmp or udp", packets)) };
        var html = new StringBuilder();

        RunReport.Captures(html, journal);

        var text = html.ToString();
        Assert.Contains("<section id=\"captures\">", text, StringComparison.Ordinal);
        Assert.Contains("<td>ICMP echo request id=7 seq=1</td>", text, StringComparison.Ordinal);
        Assert.Contains("DNS answer &lt;db&gt; = 172.30.0.4", text, StringComparison.Ordinal);
        Assert.Contains("<td>out</td>", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("<td>eth0</td>").Length + text.Split("<td>lo</td>").Length - 2);
    }

    [Fact]
    public void A_report_path_in_a_missing_directory_is_refused_before_the_run()
    {
        Assert.Null(RunReport.Check(null));
        Assert.Null(RunReport.Check(Path.Combine(Path.GetTempPath(), "r.html")));
        Assert.Contains("does not exist", RunReport.Check("/no/such/dir/r.html"), StringComparison.Ordinal);
        Assert.Contains("is a directory", RunReport.Check(Path.GetTempPath()), StringComparison.Ordinal);
    }
}
