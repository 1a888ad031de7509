using System.Globalization;
using System.Net;
using System.Text;

namespace DockScript.Cli;

/// <summary>
/// <c>dockscript run --report report.html</c>: one self-contained HTML page (inline CSS and SVG,
/// no scripts, no fonts, nothing fetched) with the outcome, the topology with the last matrix
/// over it, each reachability grid, every probe and assertion in order with its reason, and the
/// timings. Written however the run ends.
/// </summary>
internal static class RunReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The page for <paramref name="summary"/>; <paramref name="topology"/> is null when the script never reached the engine.</summary>
    public static async Task<string> RenderAsync(RunSummary summary, Topology? topology, CancellationToken ct)
    {
        var journal = summary.Journal;
        var lastMatrix = journal.OfType<JournalEntry.Reachability>().LastOrDefault()?.Detail;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>DockScript run: ").Append(H(Path.GetFileName(summary.Script))).Append("</title>\n<style>").Append(Css).Append("</style></head>\n<body>\n");
        Outcome(html, summary);
        await TopologySection(html, topology, lastMatrix, ct).ConfigureAwait(false);
        Grids(html, journal);
        Journal(html, journal);
        Captures(html, journal);
        Timings(html, summary);
        Cleanup(html, summary);
        html.Append("<footer>Written by dockscript run --report at ").Append(H(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant))).Append(".</footer>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/>; a failure to write is one sentence on stderr, not a lost exit code.</summary>
    public static async Task WriteAsync(string path, RunSummary summary, Topology? topology, TextWriter errors)
    {
        try
        {
            // Drawing is local work: bounded, and not cancelled by the Ctrl+C that may have ended the run.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var page = await RenderAsync(summary, topology, bound.Token).ConfigureAwait(false);
            await File.WriteAllTextAsync(path, page, new UTF8Encoding(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DockScriptException or OperationCanceledException)
        {
            await errors.WriteLineAsync($"report: '{path}' was not written ({e.Message.TrimEnd('.')}).").ConfigureAwait(false);
        }
    }

    /// <summary>Refuses a report path that cannot be written, before anything runs.</summary>
    public static string? Check(string? path)
    {
        if (path is null)
        {
            return null;
        }
        if (Directory.Exists(path))
        {
            return $"--report '{path}' is a directory; give a file path such as {Path.Combine(path, "report.html")}.";
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return directory is not null && !Directory.Exists(directory)
            ? $"--report '{path}' is in a directory that does not exist ({directory}); create it or pick another path."
            : null;
    }

    private static void Outcome(StringBuilder html, RunSummary s)
    {
        var ok = s.Outcome == "completed" && s.ExitCode == 0;
        var failedAsserts = s.Assertions.Failed;
        html.Append("<header><h1>").Append(H(Path.GetFileName(s.Script))).Append("</h1>\n<p class=\"outcome ").Append(ok ? "ok" : "fail").Append("\" id=\"outcome\">")
            .Append(H(s.Outcome)).Append(", exit code ").Append(s.ExitCode.ToString(Invariant)).Append("</p>\n");
        if (s.Error is not null)
        {
            html.Append("<p class=\"error\">").Append(s.ErrorLocation is null ? "" : H(s.ErrorLocation) + ": ").Append(H(s.Error)).Append("</p>\n");
        }
        html.Append("<p class=\"facts\">").Append(s.Probes.Total.ToString(Invariant)).Append(" probes (").Append(s.Probes.Failed.ToString(Invariant)).Append(" failed), ")
            .Append(s.Assertions.Total.ToString(Invariant)).Append(" assertions (").Append(failedAsserts.ToString(Invariant)).Append(" failed)")
            .Append(s.Session is null ? "" : $", session {H(s.Session)}")
            .Append(s.Args.Count == 0 ? "" : $", arguments {H(string.Join(' ', s.Args))}").Append("</p></header>\n");
    }

    private static async Task TopologySection(StringBuilder html, Topology? topology, Reachability? matrix, CancellationToken ct)
    {
        html.Append("<section id=\"topology\"><h2>Topology</h2>\n");
        if (topology is null)
        {
            html.Append("<p>The script did not reach the engine, so there is no topology to show.</p></section>\n");
            return;
        }
        if (matrix is not null)
        {
            topology = topology.WithReachability(matrix);
            html.Append("<p>With the last reachability matrix over it: green arrows answered, red dashed ones did not (hover for the reason).</p>\n");
        }
        var svg = await Graphviz.RenderSvgAsync(topology.ToDot(), ct).ConfigureAwait(false);
        if (svg is null)
        {
            html.Append("<p class=\"note\">").Append(H(Graphviz.Missing)).Append(", so here is the picture as Mermaid text.</p>\n<pre>").Append(H(topology.ToMermaid())).Append("</pre>\n");
        }
        else
        {
            html.Append("<div class=\"svg\">").Append(InlineSvg(svg)).Append("</div>\n");
        }
        html.Append("<details><summary>As text</summary><pre>").Append(H(topology.ToString())).Append("</pre></details></section>\n");
    }

    /// <summary>dot's SVG without its XML prolog and doctype, which do not belong inside HTML.</summary>
    internal static string InlineSvg(string svg)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start < 0 ? svg : svg[start..];
    }

    private static void Grids(StringBuilder html, IReadOnlyList<JournalEntry> journal)
    {
        var matrices = journal.OfType<JournalEntry.Reachability>().ToList();
        if (matrices.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"reachability\"><h2>Reachability</h2>\n");
        var number = 0;
        foreach (var entry in matrices)
        {
            number++;
            var m = entry.Detail;
            html.Append("<h3>Matrix ").Append(number.ToString(Invariant)).Append(": ").Append(H(m.Summary)).Append("</h3>\n<table class=\"grid\"><tr><th>from \\ to</th>");
            foreach (var to in m.Containers)
            {
                html.Append("<th>").Append(H(to)).Append("</th>");
            }
            html.Append("</tr>\n");
            foreach (var from in m.Containers)
            {
                html.Append("<tr><th>").Append(H(from)).Append("</th>");
                foreach (var to in m.Containers)
                {
                    var cell = from == to ? null : m.Cells.FirstOrDefault(c => c.From == from && c.To == to);
                    if (cell is null)
                    {
                        html.Append("<td class=\"self\">·</td>");
                        continue;
                    }
                    var failure = TopologyCause.Of(cell);
                    var css = failure is null ? "ok" : cell.ReachableByIp ? "partial" : "fail";
                    var title = failure is null ? $"{from} → {to}: {cell.Mark}" : $"{from} → {to} {failure.Value.Reason}";
                    html.Append("<td class=\"").Append(css).Append("\" title=\"").Append(H(title)).Append("\">").Append(H(cell.Mark)).Append("</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</table>\n");
            if (m.Failures.Count > 0)
            {
                html.Append("<ul class=\"causes\">\n");
                foreach (var cell in m.Failures)
                {
                    if (!cell.ReachableByIp)
                    {
                        html.Append("<li><b>").Append(H($"{cell.From} → {cell.To}")).Append("</b> by IP (").Append(H(cell.ByIp.Cause.ToString())).Append("): ").Append(H(cell.ByIp.Reason ?? "no reply")).Append("</li>\n");
                    }
                    if (cell.ByName is { Success: false } byName)
                    {
                        html.Append("<li><b>").Append(H($"{cell.From} → {cell.To}")).Append("</b> by name (").Append(H(byName.Cause.ToString())).Append("): ").Append(H(byName.Reason ?? "no reply")).Append("</li>\n");
                    }
                }
                html.Append("</ul>\n");
            }
        }
        html.Append("</section>\n");
    }

    private static void Journal(StringBuilder html, IReadOnlyList<JournalEntry> journal)
    {
        html.Append("<section id=\"journal\"><h2>Probes and assertions</h2>\n");
        if (journal.Count == 0)
        {
            html.Append("<p>The run recorded no probe and no assertion.</p></section>\n");
            return;
        }
        var first = journal[0].At;
        html.Append("<table class=\"journal\"><tr><th>#</th><th>at</th><th>kind</th><th>result</th><th>what happened</th><th>reason</th></tr>\n");
        for (var i = 0; i < journal.Count; i++)
        {
            var e = journal[i];
            html.Append("<tr class=\"").Append(e.Success ? "ok" : "fail").Append("\"><td>").Append((i + 1).ToString(Invariant))
                .Append("</td><td>+").Append((e.At - first).TotalSeconds.ToString("0.000", Invariant)).Append(" s</td><td>").Append(H(e.Kind))
                .Append("</td><td>").Append(e.Success ? "✓ passed" : "✗ failed").Append("</td><td>")
                // An explanation shows its layers, as the REPL does.
                .Append(e is JournalEntry.Explain x ? $"<pre class=\"explain\">{H(x.Detail.ToString())}</pre>" : H(e.Summary))
                .Append("</td><td>").Append(H(ReasonOf(e) ?? "")).Append("</td></tr>\n");
        }
        html.Append("</table></section>\n");
    }

    /// <summary>Why an entry failed, in the probe's own words; null when it went as hoped.</summary>
    internal static string? ReasonOf(JournalEntry entry) => entry.Success ? null : entry switch
    {
        JournalEntry.Ping p => Cause(p.Detail.Cause, p.Detail.Reason),
        JournalEntry.Curl c => c.Detail.Reason,
        JournalEntry.Resolve r => r.Detail.Reason,
        JournalEntry.Masquerade m => m.Detail.Reason,
        JournalEntry.Explain x => Cause(x.Detail.Cause, x.Detail.Reason),
        JournalEntry.Reachability m => $"{m.Detail.Failures.Count} failing pair{(m.Detail.Failures.Count == 1 ? "" : "s")}: " +
                                       string.Join("; ", m.Detail.Failures.Select(c => $"{c.From} → {c.To} {TopologyCause.Of(c)?.Cause}")),
        JournalEntry.Assertion a => $"The script expected: {a.Claim}.",
        _ => entry.Summary,
    };

    private static string? Cause(ProbeCause cause, string? reason) => cause == ProbeCause.None ? reason : $"{cause}: {reason}";

    /// <summary>
    /// Each finished packet capture of the run, as a packet table (time, interface, direction,
    /// source, destination, protocol, summary); nothing at all when the run captured nothing.
    /// </summary>
    internal static void Captures(StringBuilder html, IReadOnlyList<JournalEntry> journal)
    {
        var captures = journal.OfType<JournalEntry.Capture>().ToList();
        if (captures.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"captures\"><h2>Captures</h2>\n");
        foreach (var capture in captures)
        {
            var result = capture.Detail;
            html.Append("<h3>").Append(H(result.ToString())).Append("</h3>\n");
            html.Append("<table class=\"packets\"><tr><th>time</th><th>interface</th><th></th><th>source</th><th>destination</th><th>protocol</th><th>summary</th></tr>\n");
            foreach (var p in result.Packets)
            {
                html.Append("<tr><td>").Append(H(p.Time.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)))
                    .Append("</td><td>").Append(H(p.Interface))
                    .Append("</td><td>").Append(p.Outgoing ? "out" : "in")
                    .Append("</td><td>").Append(H(p.Source))
                    .Append("</td><td>").Append(H(p.Destination))
                    .Append("</td><td>").Append(H(p.Protocol))
                    .Append("</td><td>").Append(H(p.Summary)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("</section>\n");
    }

    private static void Timings(StringBuilder html, RunSummary s)
    {
        var d = s.DurationsMs;
        html.Append("<section id=\"timings\"><h2>Timings</h2>\n<table class=\"timings\">");
        Row("compile", d.Compile, s.Cache is null ? null : $"cache {s.Cache}");
        Row("run", d.Run, null);
        Row("cleanup", d.Cleanup, null);
        Row("total", d.Total, null);
        html.Append("</table></section>\n");

        void Row(string phase, double? ms, string? note) =>
            html.Append("<tr><th>").Append(phase).Append("</th><td>")
                .Append(ms is { } v ? v.ToString("0.0", Invariant) + " ms" : "did not run")
                .Append(note is null ? "" : $" ({H(note)})").Append("</td></tr>");
    }

    private static void Cleanup(StringBuilder html, RunSummary s)
    {
        html.Append("<section id=\"cleanup\"><h2>Cleanup</h2>\n<p>");
        if (s.Cleanup is { } c)
        {
            html.Append("Removed ").Append(c.RemovedContainers.Count == 0 ? "no container" : H(string.Join(", ", c.RemovedContainers)))
                .Append(" and ").Append(c.RemovedNetworks.Count == 0 ? "no network" : "networks " + H(string.Join(", ", c.RemovedNetworks))).Append('.');
            if (c.Kept.Count > 0)
            {
                html.Append(" Kept: ").Append(H(string.Join("; ", c.Kept))).Append('.');
            }
        }
        else if (s.CleanupError is not null)
        {
            html.Append("Cleanup failed: ").Append(H(s.CleanupError));
        }
        else
        {
            html.Append(s.Created.Count == 0 ? "Nothing to clean up." : "Left in place (--keep): " + H(string.Join(", ", s.Created)) + ".");
        }
        html.Append("</p></section>\n");
    }

    private static string H(string text) => WebUtility.HtmlEncode(text);

    // Plain system fonts: the page must not fetch anything.
    private const string Css = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; background: #fff; }
        h1 { margin: 0 0 .3em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
        .outcome { display: inline-block; padding: .3em .8em; border-radius: 4px; font-weight: bold; color: #fff; }
        .outcome.ok { background: #2e7d32; } .outcome.fail { background: #c0392b; }
        .error { color: #c0392b; font-weight: bold; } .note { color: #8a6d3b; } .facts { color: #555; }
        .svg { overflow-x: auto; border: 1px solid #ddd; border-radius: 4px; padding: .5em; }
        .svg svg { max-width: 100%; height: auto; }
        table { border-collapse: collapse; margin: .5em 0; }
        th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
        table.grid td { text-align: center; min-width: 4.5em; font-weight: bold; cursor: help; }
        td.ok { background: #c8e6c9; color: #1b5e20; } td.fail { background: #ffcdd2; color: #b71c1c; }
        td.partial { background: #ffe0b2; color: #8a4b00; } td.self { background: #f5f5f5; color: #999; }
        table.journal tr.fail td { background: #fff0f0; } table.journal tr.ok td:nth-child(4) { color: #2e7d32; }
        table.journal tr.fail td:nth-child(4) { color: #c0392b; font-weight: bold; }
        ul.causes li { margin: .2em 0; } pre { background: #f7f7f7; padding: .6em; overflow-x: auto; }
        footer { margin-top: 2em; color: #888; font-size: 12px; }
        """;
}
