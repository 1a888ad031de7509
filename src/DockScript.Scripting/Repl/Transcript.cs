using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DockScript.Scripting.Repl;

/// <summary>
/// Turns a REPL session into a script that <c>dockscript run</c> replays: the successful
/// submissions in order, each value the REPL showed printed with <c>Console.WriteLine</c>
/// (a bare expression is not a statement in a script file).
/// </summary>
public static class Transcript
{
    /// <summary>The script text for <paramref name="submissions"/>.</summary>
    public static string ToScript(IEnumerable<Submission> submissions, DateTimeOffset? savedAt = null)
    {
        var text = new StringBuilder();
        text.Append("// Saved from the DockScript REPL")
            .Append(savedAt is { } at ? FormattableString.Invariant($" on {at:yyyy-MM-dd HH:mm} UTC") : "")
            .Append("; replay with: dockscript run <this file>\n");
        foreach (var submission in submissions)
        {
            text.Append(AsStatements(submission).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>One submission as script statements.</summary>
    public static string AsStatements(Submission submission)
    {
        var code = submission.Code.TrimEnd();
        var root = CSharpSyntaxTree.ParseText(code, LiveNameSite.ParseOptions).GetCompilationUnitRoot();
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            var expression = last.Expression;
            var before = code[..expression.SpanStart];
            var body = code[expression.SpanStart..expression.Span.End];
            var after = code[expression.Span.End..];
            return submission.HasValue
                ? $"{before}Console.WriteLine({body});{after}"
                : $"{before}{body};{after}";
        }
        return code;
    }
}
