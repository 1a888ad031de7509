using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DockScript.Cli.Repl;

// A capture's packets as a table, tcpdump's columns (see ResultView.cs for the rest).
internal sealed partial class ResultView
{
    /// <summary>The packets shown at most: the table ends with how many more there are.</summary>
    private const int MaxPackets = 200;

    private static Rows CaptureTable(IReadOnlyList<CapturedPacket> packets, string caption, bool limitReached)
    {
        var table = NewTable("TIME", "IF", "", "SOURCE", "DESTINATION", "PROTO", "SUMMARY");
        foreach (var p in packets.Take(MaxPackets))
        {
            table.AddRow(Cell(p.Time.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)), Cell(p.Interface), Cell(p.Outgoing ? "out" : "in"),
                Cell(p.Source), Cell(p.Destination), Cell(p.Protocol, ProtocolColor(p.Protocol)), Cell(p.Summary));
        }
        var lines = new List<IRenderable> { new Text(caption, new Style(limitReached ? Color.Yellow : Color.Grey)) };
        if (packets.Count > 0)
        {
            lines.Add(table);
        }
        if (packets.Count > MaxPackets)
        {
            lines.Add(new Text($"… and {packets.Count - MaxPackets:N0} more (SavePcap to read them all)", new Style(Color.Grey)));
        }
        return new Rows(lines);
    }

    private static Color? ProtocolColor(string protocol) => protocol switch
    {
        "ICMP" or "ICMPv6" => Color.Aqua,
        "ARP" => Color.Yellow,
        "DNS" => Color.Fuchsia,
        "TCP" => Color.Green,
        "UDP" => Color.Blue,
        _ => null,
    };
}
