using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Scripting.Packages;

/// <summary>
/// The caret inside <c>#r "nuget: …"</c>: typing a package name (<see cref="Id"/> null) or, after
/// the comma, its version (<see cref="Id"/> names the package). <see cref="Span"/> is what a
/// completion replaces.
/// </summary>
internal sealed partial record PackageSite(string? Id, TextSpan Span, string Typed)
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"]*?)\s*(?:,\s*(?<version>[^"]*))?$""")]
    private static partial Regex Directive();

    /// <summary>The site at <paramref name="caret"/>, or null when the caret is not in a <c>#r "nuget: …"</c>.</summary>
    public static PackageSite? Find(string text, int caret)
    {
        if (caret < 0 || caret > text.Length)
        {
            return null;
        }
        var lineStart = caret == 0 ? 0 : text.LastIndexOf('\n', caret - 1) + 1;
        var match = Directive().Match(text[lineStart..caret]);
        if (!match.Success)
        {
            return null;
        }
        var end = caret;
        while (end < text.Length && text[end] is not ('"' or ',' or '\n'))
        {
            end++;
        }
        var version = match.Groups["version"];
        return version.Success
            ? new PackageSite(match.Groups["id"].Value, TextSpan.FromBounds(lineStart + version.Index, end), version.Value)
            : new PackageSite(null, TextSpan.FromBounds(lineStart + match.Groups["id"].Index, end), match.Groups["id"].Value);
    }
}
