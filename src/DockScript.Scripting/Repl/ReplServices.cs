using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Classification;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Scripting.Repl;

/// <summary>A run of text and the Roslyn classification that colours it ("keyword", "local name", …).</summary>
/// <param name="Start">Offset in the submission.</param>
/// <param name="Length">Length of the run.</param>
/// <param name="Classification">A <see cref="ClassificationTypeNames"/> value.</param>
public sealed record Highlight(int Start, int Length, string Classification);

/// <summary>One entry of the completion list.</summary>
/// <param name="DisplayText">What the list shows.</param>
/// <param name="ReplacementText">What replaces the completion span when chosen.</param>
/// <param name="FilterText">What typed text is matched against.</param>
/// <param name="Kind">"Property", "Method", "Local", … or "Container" / "Network" for live names.</param>
/// <param name="Description">The tooltip, computed when shown: signature and XML summary, or a live name's state.</param>
public sealed record ReplCompletion(string DisplayText, string ReplacementText, string FilterText, string Kind, Func<CancellationToken, Task<string>> Description);

/// <summary>One overload in the signature help.</summary>
/// <param name="Signature">As C# shows it, e.g. <c>PingResult Ping(Container from, string to, int count = 4)</c>.</param>
/// <param name="Summary">The XML summary.</param>
/// <param name="Parameters">Each parameter's name and description.</param>
public sealed record ReplOverload(string Signature, string Summary, IReadOnlyList<(string Name, string Description)> Parameters);

/// <summary>
/// The editor services of the REPL, from Roslyn over the session's submissions: highlighting,
/// completion (with live container and network names inside strings), signature help, and the
/// multi-line decision. Knows no console and no line editor.
/// </summary>
public sealed class ReplServices(SubmissionWorkspace workspace, ILiveNames liveNames)
{
    private const int MaxItems = 300;

    /// <summary>The submissions behind the services.</summary>
    public SubmissionWorkspace Workspace { get; } = workspace;

    /// <summary>True when Enter should run <paramref name="text"/>; false when it needs more lines (an open brace, a missing operand…).</summary>
    public static bool IsComplete(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || (trimmed.StartsWith('#') && !trimmed.Contains('\n')))
        {
            // Empty input, and one-line meta-commands (#help, #load file.csx), never wait for more.
            return true;
        }
        return SyntaxFactory.IsCompleteSubmission(CSharpSyntaxTree.ParseText(text, LiveNameSite.ParseOptions));
    }

    /// <summary>Classified runs over <paramref name="text"/>, seen as the next submission of the session.</summary>
    public async Task<IReadOnlyList<Highlight>> HighlightAsync(string text, CancellationToken ct = default)
    {
        if (text.Length == 0)
        {
            return [];
        }
        var document = Workspace.Current(text);
        var spans = await Classifier.GetClassifiedSpansAsync(document, new TextSpan(0, text.Length), ct).ConfigureAwait(false);
        return spans
            .Where(s => !ClassificationTypeNames.AdditiveTypeNames.Contains(s.ClassificationType))
            .Select(s => new Highlight(s.TextSpan.Start, s.TextSpan.Length, s.ClassificationType))
            .ToList();
    }

    /// <summary>The text a completion at <paramref name="caret"/> replaces: the name being typed.</summary>
    public static TextSpan CompletionSpan(string text, int caret)
    {
        if (Packages.PackageSite.Find(text, caret) is { } package)
        {
            return package.Span;
        }
        if (LiveNameSite.Find(text, caret) is { } site)
        {
            return site.Span;
        }
        var start = caret;
        while (start > 0 && IsWordChar(text[start - 1]))
        {
            start--;
        }
        var end = caret;
        while (end < text.Length && IsWordChar(text[end]))
        {
            end++;
        }
        return TextSpan.FromBounds(start, end);
    }

    /// <summary>True when the caret stands where a live container or network name goes, or a NuGet package name or version.</summary>
    public static bool InLiveNameSite(string text, int caret) =>
        LiveNameSite.Find(text, caret) is not null || Packages.PackageSite.Find(text, caret) is not null;

    /// <summary>Completion items at <paramref name="caret"/>: live names inside name strings, Roslyn's elsewhere.</summary>
    public async Task<IReadOnlyList<ReplCompletion>> CompleteAsync(string text, int caret, CancellationToken ct = default)
    {
        if (Packages.PackageSite.Find(text, caret) is { } package)
        {
            return await Packages.PackageSuggestions.Default.CompleteAsync(package, ct).ConfigureAwait(false);
        }
        if (LiveNameCompletions(liveNames, text, caret) is { } live)
        {
            return live;
        }
        var span = CompletionSpan(text, caret);
        var typed = text[span.Start..caret];
        var document = Workspace.Current(text);
        if (CompletionService.GetService(document) is not { } service)
        {
            return [];
        }
        var list = await service.GetCompletionsAsync(document, caret, cancellationToken: ct).ConfigureAwait(false);
        return list.ItemsList
            .Where(i => typed.Length == 0 || i.FilterText.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i.FilterText.StartsWith(typed, StringComparison.Ordinal) ? 0 : i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 1 : 2)
            .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
            .Take(MaxItems)
            .Select(i => new ReplCompletion(
                i.DisplayTextPrefix + i.DisplayText + i.DisplayTextSuffix,
                i.Properties.TryGetValue("InsertionText", out var insertion) && insertion is { Length: > 0 } ? insertion : i.DisplayText,
                i.FilterText,
                i.Tags.FirstOrDefault() ?? "",
                async token => (await service.GetDescriptionAsync(document, i, token).ConfigureAwait(false))?.Text ?? ""))
            .ToList();
    }

    /// <summary>
    /// The live names that fit at <paramref name="caret"/>, or null when it is not in a live-name
    /// site. Syntax alone decides the site, so this works while the compiler still warms up.
    /// </summary>
    public static IReadOnlyList<ReplCompletion>? LiveNameCompletions(ILiveNames liveNames, string text, int caret)
    {
        if (LiveNameSite.Find(text, caret) is not { } site)
        {
            return null;
        }
        var typed = text[site.Span.Start..caret];
        var names = site.Kind == LiveNameKind.Container ? liveNames.Containers : liveNames.Networks;
        return names
            .Select(n => (Name: n, Text: site.Url ? $"http://{n.Name}/" : n.Name))
            .Where(n => n.Text.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || n.Name.Name.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .Select(n => new ReplCompletion(n.Text, n.Text, n.Text, n.Name.Kind.ToString(), _ => Task.FromResult(n.Name.Description)))
            .ToList();
    }

    /// <summary>The overloads of the call the caret is in, and which argument it is at; empty outside a call.</summary>
    public async Task<(IReadOnlyList<ReplOverload> Overloads, int Argument)> OverloadsAsync(string text, int caret, CancellationToken ct = default)
    {
        var document = Workspace.Current(text);
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        if (root is null || caret == 0)
        {
            return ([], 0);
        }
        var token = root.FindToken(Math.Min(caret, text.Length) - 1);
        var list = token.Parent?.AncestorsAndSelf().OfType<BaseArgumentListSyntax>()
            .FirstOrDefault(l => Brackets(l) is var (open, close) && open.Span.End <= caret && (close.IsMissing || caret <= close.SpanStart));
        if (list?.Parent is not { } call)
        {
            return ([], 0);
        }
        var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
        if (model is null)
        {
            return ([], 0);
        }
        var methods = call switch
        {
            InvocationExpressionSyntax i => model.GetMemberGroup(i.Expression, ct).OfType<IMethodSymbol>(),
            BaseObjectCreationExpressionSyntax o => model.GetMemberGroup(o, ct).OfType<IMethodSymbol>(),
            ElementAccessExpressionSyntax e => model.GetIndexerGroup(e.Expression, ct).Select(p => p.GetMethod).OfType<IMethodSymbol>(),
            _ => [],
        };
        var argument = list.Arguments.GetSeparators().Count(s => s.SpanStart < caret);
        var overloads = methods
            .Distinct<IMethodSymbol>(SymbolEqualityComparer.Default)
            .OrderBy(m => m.Parameters.Length <= argument ? 1 : 0)
            .ThenBy(m => m.Parameters.Length)
            .Select(Describe)
            .ToList();
        return (overloads, argument);
    }

    private static (SyntaxToken Open, SyntaxToken Close) Brackets(BaseArgumentListSyntax list) => list switch
    {
        ArgumentListSyntax a => (a.OpenParenToken, a.CloseParenToken),
        BracketedArgumentListSyntax b => (b.OpenBracketToken, b.CloseBracketToken),
        _ => (default, default),
    };

    private static ReplOverload Describe(IMethodSymbol method)
    {
        var shown = method.AssociatedSymbol is IPropertySymbol { IsIndexer: true } indexer ? (ISymbol)indexer : method;
        var signature = shown.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat
            .AddParameterOptions(SymbolDisplayParameterOptions.IncludeDefaultValue)
            .AddMemberOptions(SymbolDisplayMemberOptions.IncludeType));
        var (summary, parameters) = Docs(shown.OriginalDefinition);
        return new ReplOverload(signature, summary,
            method.Parameters.Select(p => (p.Name, parameters.TryGetValue(p.Name, out var d) ? d : "")).ToList());
    }

    /// <summary>The summary and parameter descriptions of a symbol's XML documentation, as plain text.</summary>
    public static (string Summary, IReadOnlyDictionary<string, string> Parameters) Docs(ISymbol symbol)
    {
        var xml = symbol.GetDocumentationCommentXml(expandIncludes: true);
        if (string.IsNullOrWhiteSpace(xml))
        {
            return ("", new Dictionary<string, string>());
        }
        try
        {
            var doc = XElement.Parse(xml);
            var summary = Plain(doc.Element("summary"));
            var parameters = doc.Elements("param")
                .Where(p => p.Attribute("name") is not null)
                .GroupBy(p => p.Attribute("name")!.Value)
                .ToDictionary(g => g.Key, g => Plain(g.First()));
            return (summary, parameters);
        }
        catch (System.Xml.XmlException)
        {
            return ("", new Dictionary<string, string>());
        }
    }

    private static string Plain(XElement? element)
    {
        if (element is null)
        {
            return "";
        }
        var parts = element.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => ShortName(e.Attribute("cref")?.Value ?? e.Attribute("langword")?.Value ?? e.Value),
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => e.Attribute("name")?.Value ?? "",
            XElement e => e.Value,
            _ => "",
        });
        return string.Join(" ", string.Concat(parts).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    private static string ShortName(string cref)
    {
        var name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        var paren = name.IndexOf('(');
        if (paren >= 0)
        {
            name = name[..paren];
        }
        return name[(name.LastIndexOf('.') + 1)..];
    }

    /// <summary>Runs every service once, so the first real keystroke finds them compiled and loaded.</summary>
    public async Task WarmUpAsync(CancellationToken ct = default)
    {
        const string sample = "var n = Networks[\"bridge\"]; n.Name.ToString()";
        await HighlightAsync(sample, ct).ConfigureAwait(false);
        var items = await CompleteAsync("Networks.", "Networks.".Length, ct).ConfigureAwait(false);
        if (items.Count > 0)
        {
            await items[0].Description(ct).ConfigureAwait(false);
        }
        await OverloadsAsync("Containers.Run(", "Containers.Run(".Length, ct).ConfigureAwait(false);
        _ = CompletionSpan(sample, 5);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
