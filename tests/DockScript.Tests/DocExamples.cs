using System.Runtime.CompilerServices;

namespace DockScript.Tests;

/// <summary>
/// The C# examples of the documentation: every <c>```csharp</c> block of README.md and docs/*.md.
/// A block whose first line is <c>// runnable</c> is also run against the engine; its
/// <c>demo-…</c> names are given a per-run prefix there, so parallel runs never share a name.
/// (Shared with the integration tests, which link this file.)
/// </summary>
public sealed record DocExample(string File, int Line, string Code)
{
    /// <summary>The marker on a block's first line that makes it run, not only compile.</summary>
    public const string RunnableMarker = "// runnable";

    /// <summary>True when the block is run as well as checked.</summary>
    public bool Runnable => Code.StartsWith(RunnableMarker, StringComparison.Ordinal);

    /// <summary>How a failure names the block: <c>docs/DSL.md:42</c>.</summary>
    public override string ToString() => $"{File}:{Line}";

    /// <summary>The repository's root, found from this source file's place in it.</summary>
    public static string Root([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    /// <summary>Every C# block of the documentation, in file and line order.</summary>
    public static IReadOnlyList<DocExample> All()
    {
        var root = Root();
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        return files.SelectMany(f => In(Path.GetRelativePath(root, f), System.IO.File.ReadAllLines(f))).ToList();
    }

    /// <summary>The <c>```csharp</c> blocks of one markdown file (the line is the block's first line of code).</summary>
    public static IEnumerable<DocExample> In(string file, IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }
            var start = i + 1;
            var end = start;
            while (end < lines.Count && lines[end].Trim() != "```")
            {
                end++;
            }
            yield return new DocExample(file, start + 1, string.Join('\n', lines.Skip(start).Take(end - start)) + "\n");
            i = end;
        }
    }
}
