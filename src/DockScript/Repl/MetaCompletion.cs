using DockScript.Scripting.Repl;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Cli.Repl;

/// <summary>
/// Completion on a meta-command line, which is not C#: the commands after a leading <c>#</c>
/// (<c>#he</c> → <c>#help</c>), and file paths after <c>#load</c> and <c>#save</c>.
/// </summary>
internal static class MetaCompletion
{
    private const int MaxItems = 200;

    /// <summary>The text a completion at <paramref name="caret"/> replaces and what may replace it; null outside a meta-command line.</summary>
    public static (TextSpan Span, IReadOnlyList<ReplCompletion> Items)? Find(string text, int caret)
    {
        if (!text.StartsWith('#') || text.Contains('\n') || caret < 1 || caret > text.Length)
        {
            return null;
        }
        var space = text.IndexOfAny([' ', '\t']);
        if (space < 0 || caret <= space)
        {
            // The command word itself.
            var end = space < 0 ? text.Length : space;
            if (!text[1..end].All(char.IsLetter))
            {
                return null;
            }
            var typed = text[1..caret];
            var items = Meta.Help
                .Select(h => (Name: h.Name.Split(' ')[0].TrimStart('#'), h.What))
                .Where(h => h.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(h => new ReplCompletion(h.Name, h.Name, h.Name, "Keyword", _ => Task.FromResult(h.What)))
                .ToList();
            return (TextSpan.FromBounds(1, end), items);
        }
        var command = text[1..space];
        if (command is not ("load" or "save" or "topology"))
        {
            return null;
        }
        return Paths(text, caret, space + 1, csxOnly: command == "load");
    }

    /// <summary>The entries of the directory being typed, the part after its last '/' being the span.</summary>
    private static (TextSpan Span, IReadOnlyList<ReplCompletion> Items)? Paths(string text, int caret, int start, bool csxOnly)
    {
        while (start < caret && text[start] is ' ' or '\t' or '"')
        {
            start++;
        }
        var typed = text[start..caret];
        if (typed.Contains('"'))
        {
            return null;
        }
        var slash = typed.LastIndexOf('/');
        var directory = slash < 0 ? "" : typed[..(slash + 1)];
        var segmentStart = start + directory.Length;
        var end = caret;
        while (end < text.Length && text[end] is not ('"' or ' ' or '/'))
        {
            end++;
        }
        var where = directory.Length == 0 ? "." : directory.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), directory[2..])
            : directory;
        var prefix = typed[(slash + 1)..];
        IEnumerable<ReplCompletion> items;
        try
        {
            var info = new DirectoryInfo(where);
            items = info.EnumerateFileSystemInfos()
                .Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal) && (prefix.StartsWith('.') || !e.Name.StartsWith('.')))
                .Where(e => e is DirectoryInfo || !csxOnly || e.Name.EndsWith(".csx", StringComparison.OrdinalIgnoreCase))
                .OrderBy(e => e is DirectoryInfo ? 0 : 1).ThenBy(e => e.Name, StringComparer.Ordinal)
                .Take(MaxItems)
                .Select(e => e is DirectoryInfo
                    ? new ReplCompletion(e.Name + "/", e.Name + "/", e.Name, "Folder", _ => Task.FromResult($"folder {Path.Combine(directory, e.Name)}"))
                    : new ReplCompletion(e.Name, e.Name, e.Name, "File", _ => Task.FromResult($"file {Path.Combine(directory, e.Name)}")))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.SecurityException)
        {
            items = [];
        }
        return (TextSpan.FromBounds(segmentStart, end), items.ToList());
    }
}
