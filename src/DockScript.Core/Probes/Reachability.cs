using System.Text;

namespace DockScript;

/// <summary>One ordered pair of a <see cref="Reachability"/> matrix.</summary>
/// <param name="From">The source container.</param>
/// <param name="To">The target container.</param>
/// <param name="ByIp">A ping to the target's address on a shared network (else its primary address).</param>
/// <param name="ByName">A ping to the target's name, resolved as the source would; null when names were not probed.</param>
public sealed record ReachabilityCell(string From, string To, PingResult ByIp, PingResult? ByName)
{
    /// <summary>True when the target answered by IP.</summary>
    public bool ReachableByIp => ByIp.Success;

    /// <summary>True when the target answered by name.</summary>
    public bool ReachableByName => ByName?.Success == true;

    /// <summary>A short mark: <c>ip+name</c>, <c>ip</c>, <c>name</c> or <c>-</c>.</summary>
    public string Mark => (ReachableByIp, ReachableByName) switch
    {
        (true, true) => "ip+name",
        (true, false) => ByName is null ? "ip" : "ip only",
        (false, true) => "name only",
        _ => "-",
    };

    /// <inheritdoc/>
    public override string ToString() => $"{From} → {To}: {Mark}";
}

/// <summary>
/// Who can reach whom: every ordered pair of a set of containers, pinged by IP and by name
/// (seed S2, S5, S11–S13 at a glance). Renders as a grid in scripts; the REPL colours it.
/// </summary>
/// <param name="Containers">The containers, in the order given (rows and columns).</param>
/// <param name="Cells">One cell per ordered pair (no diagonal).</param>
/// <example><code>Reachability(web1, web2, hermit).Failures.Count</code></example>
public sealed record Reachability(IReadOnlyList<string> Containers, IReadOnlyList<ReachabilityCell> Cells)
{
    /// <summary>The cell for <paramref name="from"/> → <paramref name="to"/>.</summary>
    /// <exception cref="DockScriptException">The pair is not in the matrix.</exception>
    public ReachabilityCell this[string from, string to] =>
        Cells.FirstOrDefault(c => c.From == from && c.To == to)
        ?? throw new DockScriptException($"The matrix has no pair {from} → {to}; it covers {string.Join(", ", Containers)}.");

    /// <summary>The pairs where a probe failed (by IP or by name), each with its reasons.</summary>
    public IReadOnlyList<ReachabilityCell> Failures =>
        Cells.Where(c => !c.ReachableByIp || c.ByName is { Success: false }).ToList();

    /// <summary>"5 of 6 pairs by IP, 2 of 6 by name".</summary>
    public string Summary
    {
        get
        {
            var ip = Cells.Count(c => c.ReachableByIp);
            var text = $"{ip} of {Cells.Count} pairs by IP";
            return Cells.Any(c => c.ByName is not null) ? $"{text}, {Cells.Count(c => c.ReachableByName)} of {Cells.Count} by name" : text;
        }
    }

    /// <summary>The grid alone: rows are sources, columns targets, each cell <see cref="ReachabilityCell.Mark"/>.</summary>
    public string Grid
    {
        get
        {
            var header = Containers.Prepend("from \\ to").ToList();
            var rows = Containers.Select(from => (IReadOnlyList<string>)new[] { from }
                .Concat(Containers.Select(to => from == to ? "·" : this[from, to].Mark)).ToList());
            return TextTable.Render(header, rows);
        }
    }

    /// <summary>The grid (rows: from, columns: to), then one line per failure with its reason.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Grid);
        foreach (var cell in Failures)
        {
            if (!cell.ReachableByIp)
            {
                text.Append('\n').Append($"{cell.From} → {cell.To} by IP: {cell.ByIp.Reason}");
            }
            if (cell.ByName is { Success: false } byName)
            {
                text.Append('\n').Append($"{cell.From} → {cell.To} by name: {byName.Reason}");
            }
        }
        return text.ToString();
    }
}
