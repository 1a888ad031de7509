using System.Text;

namespace DockScript;

/// <summary>
/// Aligned plain-text columns, the way the docker CLI prints lists. Used by <c>ToString()</c> of
/// the collections so that scripts print readable tables without any console library.
/// </summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < headers.Count; i++)
            {
                var cell = i < row.Count ? row[i] : "";
                line.Append(i == headers.Count - 1 ? cell : cell.PadRight(widths[i] + 3));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }
}
