using System.Diagnostics;
using System.Net;
using DockScript.Tests;

namespace DockScript.IntegrationTests;

/// <summary><c>dockscript run --report</c>, opened in a real browser (headless Chromium).</summary>
public sealed class ReportTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public async Task The_report_of_a_failing_run_opens_in_chromium_naming_every_container_network_and_cause()
    {
        using var dir = new TempDir();
        var report = Path.Combine(dir.Path, "report.html");
        var prefix = $"topo{Fx.Run}r";

        var (code, stdout, stderr) = await CliTests.DockscriptAsync(null, "run", CliTests.Fixture("Report"), "--report", report, "--", prefix);

        // The script's last assertion fails: the run fails, and the report is written all the same.
        Assert.True(code != 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("web reaches db", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(report), stderr);

        var raw = await ChromiumAsync(dir.Path, "--dump-dom", $"file://{report}");
        var dom = WebUtility.HtmlDecode(raw);
        Assert.Contains("runtime-error", dom, StringComparison.Ordinal);
        foreach (var name in new[] { "front", "back", "web", "app", "db", "hermit" })
        {
            Assert.Contains($"{prefix}-{name}", dom, StringComparison.Ordinal);
        }
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        // Each failing cell of the grid has its cause in its title (hover) and in the list below.
        var cells = System.Text.RegularExpressions.Regex.Matches(raw, "<td class=\"(fail|partial)\" title=\"([^\"]*)\">");
        Assert.NotEmpty(cells);
        foreach (System.Text.RegularExpressions.Match cell in cells)
        {
            var title = WebUtility.HtmlDecode(cell.Groups[2].Value);
            Assert.Contains(" by ", title, StringComparison.Ordinal);
            var pair = title[..title.IndexOf(" by ", StringComparison.Ordinal)];
            Assert.Contains($"<li><b>{pair}</b>", dom, StringComparison.Ordinal);
        }
        Assert.Contains($"{prefix}-hermit", string.Join("\n", cells.Select(c => c.Groups[2].Value)), StringComparison.Ordinal);
        Assert.Contains("The script expected: web reaches db.", dom, StringComparison.Ordinal);
        // The explanation is in the journal with its layers and its cause.
        Assert.Contains($"explain {prefix}-web → {prefix}-db: not reachable", dom, StringComparison.Ordinal);
        Assert.Contains("✘ Name", dom, StringComparison.Ordinal);
        Assert.Contains($"NameOnOtherNetwork: '{prefix}-db' is a container on '{prefix}-back'; {prefix}-web is only on '{prefix}-front'", dom, StringComparison.Ordinal);

        var png = Path.Combine(dir.Path, "report.png");
        await ChromiumAsync(dir.Path, $"--screenshot={png}", "--window-size=1280,1600", $"file://{report}");
        var colours = Png.Colours(await File.ReadAllBytesAsync(png));
        var pixels = colours.Values.Sum();
        Assert.True(colours.Count > 16, $"the screenshot has only {colours.Count} colours");
        Assert.True(colours.Values.Max() < pixels * 0.97, "the screenshot is almost one colour");
    }

    [Fact]
    public async Task A_script_that_does_not_compile_still_gets_a_report()
    {
        using var dir = new TempDir();
        var report = Path.Combine(dir.Path, "report.html");

        var (code, _, stderr) = await CliTests.DockscriptAsync(null, "run", CliTests.Fixture("CompileError"), "--report", report);

        Assert.NotEqual(0, code);
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("compile-error", html, StringComparison.Ordinal);
        Assert.Contains("The script did not reach the engine", html, StringComparison.Ordinal);
        Assert.DoesNotContain("report:", stderr, StringComparison.Ordinal);
    }

    /// <summary>Headless Chromium, with every name lookup refused: the page must need nothing from the network.</summary>
    internal static async Task<string> ChromiumAsync(string profile, params string[] args)
    {
        var exe = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : throw new InvalidOperationException("chromium is not installed; scripts/test installs it (apt-get install chromium).");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
            $"--user-data-dir={Path.Combine(profile, "chromium")}",
        }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"chromium exited {p.ExitCode}: {await stderr}");
        return await stdout;
    }
}
