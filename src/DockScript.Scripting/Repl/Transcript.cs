using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DockScript.Scripting.Repl;

/// <summary>
/// Turns a REPL session into a script that <c>dockscript run</c> replays: the successful
/// submissions in order, each value the REPL showed printed with <c>Console.WriteLine</c>
/// (a bare expression is not a statement in a script file).
/// </summary>
/// <remarks>
/// Two things a REPL allows and one script file does not are mended on the way:
/// <list type="bullet">
/// <item>A variable, method or type declared again (<c>var a = …</c> twice) shadows the earlier one
/// in the REPL but does not compile in one file. Every declaration but the last is renamed
/// (<c>a</c> → <c>a_1</c>), together with each use that bound to it, as Roslyn's binder (not the
/// text) says.</item>
/// <item><c>using</c>, <c>#r</c> and <c>#load</c> typed after other code must come first in a file:
/// they are moved to the top.</item>
/// </list>
/// </remarks>
public static class Transcript
{
    /// <summary>The script text for <paramref name="submissions"/>.</summary>
    public static string ToScript(IEnumerable<Submission> submissions, DateTimeOffset? savedAt = null)
    {
        var list = submissions.ToList();
        var renamed = Renamed(list.Select(s => s.Code.TrimEnd()).ToList());
        var head = new List<string>();
        var body = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            var (directives, rest) = SplitHead(renamed[i]);
            foreach (var directive in directives.Where(d => !head.Contains(d)))
            {
                head.Add(directive);
            }
            if (rest.Length > 0)
            {
                if (list[i].Threw is { } threw)
                {
                    // Kept for the variables later lines use; a replay may well throw here too.
                    body.Append("// In the REPL this threw ").Append(threw.ReplaceLineEndings(" ")).Append('\n');
                }
                body.Append(AsStatements(list[i] with { Code = rest }).TrimEnd()).Append('\n');
            }
        }
        var text = new StringBuilder();
        text.Append("// Saved from the DockScript REPL")
            .Append(savedAt is { } at ? FormattableString.Invariant($" on {at:yyyy-MM-dd HH:mm} UTC") : "")
            .Append("; replay with: dockscript run <this file>\n");
        foreach (var directive in head)
        {
            text.Append(directive).Append('\n');
        }
        return text.Append(body).ToString();
    }

    /// <summary>One submission as script statements.</summary>
    public static string AsStatements(Submission submission)
    {
        var code = submission.Code.TrimEnd();
        var root = Parse(code);
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

    private static CompilationUnitSyntax Parse(string code) =>
        CSharpSyntaxTree.ParseText(code, LiveNameSite.ParseOptions).GetCompilationUnitRoot();

    /// <summary>
    /// Splits the <c>#r</c>/<c>#load</c> directives and <c>using</c> directives off the front of a
    /// submission (they may only open a file), returning each as one line and the rest as code.
    /// </summary>
    private static (List<string> Directives, string Code) SplitHead(string code)
    {
        var root = Parse(code);
        var directives = new List<string>();
        var cut = new List<TextSpanOf>();
        foreach (var directive in root.GetReferenceDirectives().Cast<DirectiveTriviaSyntax>().Concat(root.GetLoadDirectives()))
        {
            directives.Add(directive.ToString().Trim());
            cut.Add(new(directive.FullSpan.Start, directive.FullSpan.End));
        }
        foreach (var use in root.Usings)
        {
            directives.Add(use.WithoutTrivia().ToString());
            cut.Add(new(use.Span.Start, use.FullSpan.End));
        }
        if (cut.Count == 0)
        {
            return (directives, code);
        }
        var rest = new StringBuilder();
        var at = 0;
        foreach (var span in cut.OrderBy(c => c.Start))
        {
            if (span.Start > at)
            {
                rest.Append(code, at, span.Start - at);
            }
            at = Math.Max(at, span.End);
        }
        rest.Append(code, at, code.Length - at);
        return (directives, rest.ToString().Trim());
    }

    private readonly record struct TextSpanOf(int Start, int End);

    /// <summary>
    /// The name token of a declaration that may become a member of the script: a variable (also
    /// <c>out var</c> and pattern ones), a method, a property, a type. Whether it really is one
    /// (and not a local inside a lambda, say) is for the binder to say.
    /// </summary>
    private static SyntaxToken? DeclaredName(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax v => v.Identifier,
        SingleVariableDesignationSyntax d => d.Identifier,
        MethodDeclarationSyntax m => m.Identifier,
        PropertyDeclarationSyntax p => p.Identifier,
        BaseTypeDeclarationSyntax t => t.Identifier,
        DelegateDeclarationSyntax d => d.Identifier,
        _ => null,
    };

    /// <summary>
    /// The submissions with every redeclared script variable, method or type but the last
    /// declaration of each name renamed, uses included. The submissions are bound as the REPL chained them, so a use is
    /// renamed exactly when it meant the earlier variable.
    /// </summary>
    internal static IReadOnlyList<string> Renamed(IReadOnlyList<string> codes)
    {
        var trees = codes.Select(c => CSharpSyntaxTree.ParseText(c, LiveNameSite.ParseOptions)).ToList();
        // Binding a long session costs; a name declared only once needs none of it.
        var once = new HashSet<string>(StringComparer.Ordinal);
        var twice = trees.SelectMany(t => t.GetRoot().DescendantNodes())
            .Select(n => DeclaredName(n)?.ValueText)
            .Any(name => name is not null && !once.Add(name));
        if (!twice)
        {
            return codes;
        }
        var declared = new List<(int Tree, SyntaxToken Token, ISymbol Symbol)>();
        var models = new List<SemanticModel>();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: ScriptHost.Imports, nullableContextOptions: NullableContextOptions.Disable);
        CSharpCompilation? previous = null;
        for (var i = 0; i < trees.Count; i++)
        {
            var compilation = CSharpCompilation.CreateScriptCompilation(
                $"Saved{i}", trees[i], ReplReferences.All, options, previous, typeof(object), typeof(ScriptGlobals));
            var model = compilation.GetSemanticModel(trees[i]);
            models.Add(model);
            foreach (var node in trees[i].GetRoot().DescendantNodes())
            {
                if (DeclaredName(node) is { } token && model.GetDeclaredSymbol(node) is { ContainingType.IsScriptClass: true } member)
                {
                    declared.Add((i, token, member));
                }
            }
            previous = compilation;
        }
        var shadowed = declared
            .GroupBy(d => d.Token.ValueText)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.SkipLast(1))
            .ToList();
        if (shadowed.Count == 0)
        {
            return codes;
        }
        var taken = trees.SelectMany(t => t.GetRoot().DescendantTokens())
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.ValueText)
            .ToHashSet(StringComparer.Ordinal);
        var names = new Dictionary<(int Tree, int Start), string>();
        foreach (var group in shadowed.GroupBy(d => d.Token.ValueText))
        {
            var n = 0;
            foreach (var (tree, token, _) in group)
            {
                string name;
                do
                {
                    name = $"{group.Key}_{++n}";
                }
                while (!taken.Add(name));
                names[(tree, token.SpanStart)] = name;
            }
        }
        var result = new List<string>(codes.Count);
        for (var i = 0; i < trees.Count; i++)
        {
            var edits = new List<(int Start, int Length, string Name)>();
            foreach (var (tree, token, _) in shadowed.Where(d => d.Tree == i))
            {
                edits.Add((token.SpanStart, token.Span.Length, names[(tree, token.SpanStart)]));
            }
            foreach (var use in trees[i].GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = models[i].GetSymbolInfo(use).Symbol?.OriginalDefinition;
                // `var` binds to the type it stands for: only a use that spells the name is renamed.
                if (use.Identifier.ValueText == symbol?.Name && symbol is { Locations: [{ SourceTree: { } home } where, ..] }
                    && trees.IndexOf(home) is var from and >= 0
                    && names.TryGetValue((from, where.SourceSpan.Start), out var name))
                {
                    edits.Add((use.Identifier.SpanStart, use.Identifier.Span.Length, name));
                }
            }
            var text = new StringBuilder(codes[i]);
            foreach (var (start, length, name) in edits.OrderByDescending(e => e.Start))
            {
                text.Remove(start, length).Insert(start, name);
            }
            result.Add(text.ToString());
        }
        return result;
    }
}
