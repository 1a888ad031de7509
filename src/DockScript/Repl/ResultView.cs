using System.Collections;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DockScript.Cli.Repl;

/// <summary>
/// Shows a submission's value: networks and containers as tables the way <c>docker network ls</c>
/// and <c>docker ps</c> print them, probe results as compact panels (red, with the reason, when
/// they failed), and anything else with a plain formatter (strings quoted, collections listed,
/// records by their <c>ToString()</c>).
/// </summary>
internal sealed partial class ResultView(IAnsiConsole console)
{
    private const int MaxItems = 100;

    public async Task ShowAsync(object? value, CancellationToken ct)
    {
        console.Write(await RenderAsync(value, ct).ConfigureAwait(false));
        console.WriteLine();
    }

    public static async Task<IRenderable> RenderAsync(object? value, CancellationToken ct)
    {
        switch (value)
        {
            case null:
                return new Text("null", new Style(Color.Grey));
            case Networks networks:
                return NetworkTable(await networks.ListAsync(ct).ConfigureAwait(false));
            case Containers containers:
                return await ContainerTableAsync(await containers.ListAsync(ct: ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            case IEnumerable<Network> networks:
                return NetworkTable(networks.ToList());
            case IEnumerable<Container> containers:
                return await ContainerTableAsync(containers.ToList(), ct).ConfigureAwait(false);
            case Container container:
                return await ContainerTableAsync([container], ct).ConfigureAwait(false);
            case Network network:
                return NetworkTable([network]);
            case IEnumerable<NetInterface> interfaces:
                return InterfaceTable(interfaces.ToList());
            case PingResult ping:
                return PingPanel(ping);
            case HttpResult http:
                return HttpPanel(http);
            case DnsResult dns:
                return DnsPanel(dns);
            case Reachability matrix:
                return ReachabilityGrid(matrix);
            case PacketCapture capture:
                return CaptureTable(capture.Packets, capture.ToString(), capture.LimitReached);
            case CaptureResult captured:
                return CaptureTable(captured.Packets, captured.ToString(), captured.LimitReached);
            case Topology topology:
                return TopologyTree.Render(topology);
            case Explanation explanation:
                return ExplanationTree(explanation);
            case CleanupReport report:
                return new Text(report.ToString());
            case ExecResult exec:
                return Outcome(exec.Success, exec.ToString(), exec.Success ? null : $"exit code {exec.ExitCode}");
            default:
                return Probe(value) is { } panel ? panel : new Text(Format(value));
        }
    }

    private static Table NetworkTable(IReadOnlyList<Network> networks)
    {
        var table = NewTable("NETWORK ID", "NAME", "DRIVER", "SCOPE", "SUBNET", "GATEWAY", "INTERNAL");
        foreach (var n in networks)
        {
            table.AddRow(Cell(n.ShortId), Cell(n.Name, n.IsManaged ? Color.Green : null), Cell(n.Driver), Cell(n.Scope),
                Cell(n.Subnet ?? ""), Cell(n.Gateway ?? ""), Cell(n.Internal ? "yes" : ""));
        }
        return table;
    }

    private static async Task<Table> ContainerTableAsync(IReadOnlyList<Container> containers, CancellationToken ct)
    {
        var table = NewTable("CONTAINER ID", "IMAGE", "STATE", "NAMES", "NETWORKS", "PORTS");
        foreach (var c in containers.Take(MaxItems))
        {
            var s = await c.InspectAsync(ct).ConfigureAwait(false);
            var networks = s.IPs.Count == 0 ? s.NetworkMode : string.Join("\n", s.IPs.Select(kv => $"{kv.Key} {kv.Value}"));
            table.AddRow(Cell(c.ShortId), Cell(s.Image), Cell(s.State, s.Running ? Color.Green : Color.Yellow), Cell(s.Name, c.IsManaged ? Color.Green : null),
                Cell(networks), Cell(string.Join(", ", s.Ports)));
        }
        return table;
    }

    /// <summary>Interfaces as <c>ip -brief addr</c> would list them, with their counters.</summary>
    private static Table InterfaceTable(IReadOnlyList<NetInterface> interfaces)
    {
        var table = NewTable("INTERFACE", "STATE", "ADDRESSES", "MAC", "MTU", "RX", "TX");
        foreach (var i in interfaces)
        {
            var addresses = i.IPv4.Concat(i.IPv6.Where(a => !a.StartsWith("fe80:", StringComparison.OrdinalIgnoreCase)));
            table.AddRow(Cell(i.Name), Cell(i.IsUp switch { true => "up", false => "down", null => "?" }, i.IsUp == true ? Color.Green : Color.Yellow),
                Cell(string.Join("\n", addresses)), Cell(i.MacAddress ?? ""), Cell(i.Mtu?.ToString(CultureInfo.InvariantCulture) ?? ""),
                Cell($"{ByteSize.Format(i.RxBytes)} ({i.RxPackets})"), Cell($"{ByteSize.Format(i.TxBytes)} ({i.TxPackets})"));
        }
        return table;
    }

    private static Table NewTable(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple).BorderColor(Color.Grey);
        foreach (var h in headers)
        {
            table.AddColumn(new TableColumn(new Text(h, new Style(decoration: Decoration.Bold))));
        }
        return table;
    }

    private static Text Cell(string text, Color? color = null) => new(text, color is null ? Style.Plain : new Style(color));

    private static Panel PingPanel(PingResult p)
    {
        var to = p.Address is null || p.Address == p.Target ? p.Target : $"{p.Target} ({p.Address})";
        var lines = new List<string>
        {
            // Nothing was sent when the target did not resolve or the source is stopped: say so, not "100% loss".
            p.Sent == 0 ? "not sent" : $"{p.Received}/{p.Sent} replies, {p.LossPercent.ToString("0.#", CultureInfo.InvariantCulture)}% loss",
        };
        if (p.Rtt is { } rtt)
        {
            lines.Add(rtt.ToString());
        }
        return ProbePanel(p.Success, $"ping {p.Source} → {to}", lines, p.Reason);
    }

    private static Panel HttpPanel(HttpResult h)
    {
        var lines = new List<string>();
        if (h.StatusCode is { } status)
        {
            var body = h.Body.Trim().ReplaceLineEndings(" ");
            lines.Add($"{status} in {h.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms, {h.Body.Length} bytes{(h.Address is null ? "" : $" from {h.Address}")}");
            if (body.Length > 0)
            {
                lines.Add(body.Length > 100 ? body[..100] + "…" : body);
            }
        }
        else
        {
            lines.Add($"no response ({h.Failure})");
        }
        return ProbePanel(h.Success, $"GET {h.Url} from {h.Source}", lines, h.Reason);
    }

    private static Panel DnsPanel(DnsResult d)
    {
        var lines = new List<string>();
        if (d.Success)
        {
            lines.Add(string.Join(", ", d.Addresses));
            lines.Add($"answered by {d.AnsweredBy}{(d.Server is null ? "" : $" ({d.Server})")}");
        }
        else
        {
            lines.Add("no address");
        }
        return ProbePanel(d.Success, $"resolve {d.Name} from {d.Source}", lines, d.Reason);
    }

    private static Panel ProbePanel(bool success, string title, List<string> lines, string? reason)
    {
        var color = success ? Color.Green : Color.Red;
        // The title goes inside: a panel header is cut to the width of the body.
        var body = new List<IRenderable> { new Text(title, new Style(color, decoration: Decoration.Bold)) };
        body.AddRange(lines.Select(l => new Text(l)));
        if (!success && !string.IsNullOrEmpty(reason))
        {
            body.Add(new Text(reason, new Style(Color.Red)));
        }
        return new Panel(new Rows(body))
            .Border(BoxBorder.Rounded)
            .BorderColor(color)
            .Padding(1, 0, 1, 0)
            .Collapse();
    }

    /// <summary>An explanation as a tree: one ✔/✘ node per layer with its evidence, then the cause.</summary>
    internal static IRenderable ExplanationTree(Explanation e)
    {
        var color = e.Reachable ? Color.Green : Color.Red;
        var tree = new Tree(new Text(e.Title, new Style(color, decoration: Decoration.Bold))).Guide(TreeGuide.Line);
        foreach (var step in e.Steps)
        {
            tree.AddNode(new Text($"{(step.Ok ? "✔" : "✘")} {step.Layer,-9}{step.Evidence}", new Style(step.Ok ? Color.Green : Color.Red)));
        }
        return e.Reachable || e.Reason is null
            ? tree
            : new Rows(tree, new Text($"cause: {e.Cause}: {e.Reason}", new Style(Color.Red)));
    }

    private static Rows ReachabilityGrid(Reachability matrix)
    {
        var grid = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
            .AddColumn(new TableColumn(new Text("from \\ to", new Style(decoration: Decoration.Bold))));
        foreach (var to in matrix.Containers)
        {
            grid.AddColumn(new TableColumn(new Text(to, new Style(decoration: Decoration.Bold))).Centered());
        }
        foreach (var from in matrix.Containers)
        {
            var row = new List<IRenderable> { new Text(from, new Style(decoration: Decoration.Bold)) };
            foreach (var to in matrix.Containers)
            {
                if (from == to)
                {
                    row.Add(new Text("·", new Style(Color.Grey)));
                    continue;
                }
                var cell = matrix[from, to];
                var color = cell.Mark switch
                {
                    "ip+name" or "ip" => Color.Green,
                    "-" => Color.Red,
                    _ => Color.Yellow,
                };
                row.Add(new Text(cell.Mark, new Style(color)));
            }
            grid.AddRow(row);
        }
        var parts = new List<IRenderable> { grid, new Text(matrix.Summary, new Style(Color.Grey)) };
        foreach (var cell in matrix.Failures)
        {
            if (!cell.ReachableByIp && cell.ByIp.Reason is { } ip)
            {
                parts.Add(new Text($"{cell.From} → {cell.To} by IP: {ip}", new Style(Color.Red)));
            }
            if (cell.ByName is { Success: false, Reason: { } name })
            {
                parts.Add(new Text($"{cell.From} → {cell.To} by name: {name}", new Style(Color.Red)));
            }
        }
        return new Rows(parts);
    }

    /// <summary>A probe result (anything with <c>bool Success</c> and a <c>Reason</c>): a panel, red with the reason when it failed.</summary>
    private static Panel? Probe(object value)
    {
        var type = value.GetType();
        if (type.GetProperty("Success")?.GetValue(value) is not bool success || type.GetProperty("Reason") is not { } reasonProperty)
        {
            return null;
        }
        return Outcome(success, value.ToString() ?? type.Name, reasonProperty.GetValue(value) as string);
    }

    private static Panel Outcome(bool success, string text, string? reason)
    {
        var body = success || string.IsNullOrEmpty(reason) || text.Contains(reason, StringComparison.Ordinal)
            ? new Text(text)
            : new Text($"{text}\n{reason}");
        var color = success ? Color.Green : Color.Red;
        return new Panel(body).Border(BoxBorder.Rounded).BorderColor(color).Header(success ? "ok" : "failed");
    }

    /// <summary>A plain rendering for other values.</summary>
    public static string Format(object? value, int depth = 0)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return SymbolDisplay.FormatLiteral(s, quote: true);
            case char c:
                return SymbolDisplay.FormatLiteral(c, quote: true);
            case bool b:
                return b ? "true" : "false";
            case IFormattable f when value.GetType().IsPrimitive || value is decimal:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case IDictionary dictionary when depth < 2:
                var entries = new List<string>();
                foreach (DictionaryEntry e in dictionary)
                {
                    entries.Add($"{Format(e.Key, depth + 1)}: {Format(e.Value, depth + 1)}");
                }
                return entries.Count == 0 ? "{ }" : "{ " + string.Join(", ", entries) + " }";
            // Lists of names and addresses print their items quoted, whatever their own text says.
            case IEnumerable sequence when depth < 2 && (!HasOwnToString(value) || value is IEnumerable<string>):
                var items = sequence.Cast<object?>().Take(MaxItems + 1).Select(i => Format(i, depth + 1)).ToList();
                var more = items.Count > MaxItems ? ", …" : "";
                return "[" + string.Join(", ", items.Take(MaxItems)) + more + "]";
            default:
                return value.ToString() ?? "";
        }
    }

    /// <summary>True when the type overrides ToString (records, our collections): that text is the better view.</summary>
    private static bool HasOwnToString(object value)
    {
        var method = value.GetType().GetMethod("ToString", Type.EmptyTypes);
        return method is not null && method.DeclaringType != typeof(object) && method.DeclaringType?.Namespace?.StartsWith("System", StringComparison.Ordinal) != true;
    }
}
