using DockScript.Scripting.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Scripting.Repl;

/// <summary>
/// A place in a submission where the user types the name of a live container or network: inside
/// the string of <c>Containers["…"]</c>, <c>Networks["…"]</c>, <c>Ping(…, "…")</c>,
/// <c>Curl(…, "http://…")</c>, <c>network: "…"</c> or <c>links: new[] { "…" }</c>.
/// </summary>
/// <param name="Kind">Which names fit here.</param>
/// <param name="Span">The text a chosen name replaces: from the string's first character to the end of the name under the caret.</param>
/// <param name="Url">True inside <c>Curl</c>'s URL: names are offered as <c>http://name/</c>.</param>
public sealed record LiveNameSite(LiveNameKind Kind, TextSpan Span, bool Url)
{
    /// <summary>Script parse options, as the REPL parses submissions.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private static readonly HashSet<string> ContainerArguments = new(StringComparer.Ordinal) { "from", "to", "container", "links" };

    /// <summary>The live-name site at <paramref name="caret"/>, or null when the caret is elsewhere.</summary>
    public static LiveNameSite? Find(string text, int caret) =>
        Find(CSharpSyntaxTree.ParseText(text, ParseOptions).GetRoot(), caret);

    /// <summary>The live-name site at <paramref name="caret"/> in a parsed submission, or null.</summary>
    public static LiveNameSite? Find(SyntaxNode root, int caret)
    {
        if (caret <= 0)
        {
            return null;
        }
        var token = root.FindToken(caret - 1);
        if (!token.IsKind(SyntaxKind.StringLiteralToken) || token.Text.StartsWith('@') || caret <= token.SpanStart)
        {
            return null;
        }
        var closed = token.Text.Length >= 2 && token.Text.EndsWith('"');
        if (closed && caret >= token.Span.End)
        {
            return null;
        }
        var start = token.SpanStart + 1;
        var text = root.SyntaxTree.GetText();
        var end = caret;
        while (end < token.Span.End && IsNameChar(text[end]))
        {
            end++;
        }
        var span = TextSpan.FromBounds(start, end);
        if (token.Parent is not LiteralExpressionSyntax literal)
        {
            return null;
        }
        var kind = KindOf(literal, out var url);
        return kind is null ? null : new LiveNameSite(kind.Value, span, url);
    }

    /// <summary>Characters a Docker name may hold.</summary>
    public static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_' or '.';

    private static LiveNameKind? KindOf(LiteralExpressionSyntax literal, out bool url)
    {
        url = false;
        SyntaxNode node = literal;
        // links: new[] { "a", "b" }  /  links: ["a", "b"]
        if (node.Parent is InitializerExpressionSyntax { Parent: ImplicitArrayCreationExpressionSyntax or ArrayCreationExpressionSyntax } init)
        {
            node = init.Parent!;
        }
        else if (node.Parent is ExpressionElementSyntax { Parent: CollectionExpressionSyntax collection })
        {
            node = collection;
        }
        if (node.Parent is not ArgumentSyntax argument)
        {
            return null;
        }
        if (argument.NameColon?.Name.Identifier.ValueText is { } named)
        {
            if (named == "network")
            {
                return LiveNameKind.Network;
            }
            if (ContainerArguments.Contains(named))
            {
                return LiveNameKind.Container;
            }
            if (named == "url")
            {
                url = true;
                return LiveNameKind.Container;
            }
        }
        var index = argument.Parent switch
        {
            BaseArgumentListSyntax list => list.Arguments.IndexOf(argument),
            _ => -1,
        };
        switch (argument.Parent?.Parent)
        {
            case ElementAccessExpressionSyntax access:
                return Arguments.LastName(access.Expression) switch
                {
                    "Containers" => LiveNameKind.Container,
                    "Networks" => LiveNameKind.Network,
                    "IPs" => LiveNameKind.Network,
                    _ => null,
                };
            case InvocationExpressionSyntax call:
                var method = Arguments.LastName(call.Expression);
                var target = call.Expression is MemberAccessExpressionSyntax member ? Arguments.LastName(member.Expression) : null;
                switch (method)
                {
                    case "Ping" or "PingAsync" or "Resolve" or "ResolveAsync" or "Explain" or "ExplainAsync" when index is 0 or 1:
                    case "Reachability" or "Matrix" or "Topology" when index >= 0:
                    case "Capture" or "CaptureAsync" or "TopologyAsync" when index == 0:
                        return LiveNameKind.Container;
                    case "Curl" or "CurlAsync" or "Masquerade" or "MasqueradeAsync" when index == 0:
                        return LiveNameKind.Container;
                    case "Curl" or "CurlAsync" when index == 1:
                        url = true;
                        return LiveNameKind.Container;
                    case "Get" or "GetAsync" or "Exists" when index == 0 && target is "Containers" or "Networks":
                        return target == "Containers" ? LiveNameKind.Container : LiveNameKind.Network;
                    case "Connect" or "Disconnect" or "ConnectAsync" or "DisconnectAsync" when index == 0:
                        return LiveNameKind.Container;
                }
                return null;
            default:
                return null;
        }
    }
}
