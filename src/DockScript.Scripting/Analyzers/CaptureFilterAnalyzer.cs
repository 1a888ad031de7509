using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// DS0005: a capture <c>filter:</c> written as a literal that the capture would refuse, caught
/// before anything runs. The parser is Core's own (<see cref="CaptureFilter"/>), so check and run agree.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class CaptureFilterAnalyzer : CallAnalyzer
{
    /// <summary>The rule: DS0005, an error.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        "DS0005", "Capture filter not understood", "{0}", "DockScript", DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A capture filter literal outside DockScript's subset: icmp, arp, udp, tcp, port N, host ADDR with and, or, not and parentheses.");

    private static readonly HashSet<string> Calls = new(StringComparer.Ordinal) { "Capture", "CaptureAsync", "CaptureOutside", "CaptureOutsideAsync" };

    /// <inheritdoc/>
    protected override DiagnosticDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Methods => Calls;

    /// <inheritdoc/>
    protected override void AnalyzeCall(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax call)
    {
        foreach (var (name, value) in Arguments.Named(call, context.SemanticModel, context.CancellationToken))
        {
            if (name != "filter" || Arguments.Constant(value, context.SemanticModel, context.CancellationToken) is not string text)
            {
                continue;
            }
            try
            {
                _ = CaptureFilter.Parse(text);
            }
            catch (DockScriptException e)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, value.GetLocation(), e.Message));
            }
        }
    }
}
