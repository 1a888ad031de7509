using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// DS0002: <c>ports:</c> together with <c>network: "host"</c>. A host-network container uses the
/// host's own ports, so Docker silently drops the published ports (seed claim S4).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class HostNetworkPortsAnalyzer : CallAnalyzer
{
    /// <summary>The rule: DS0002, a warning.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        "DS0002", "Published ports on the host network", "{0}", "DockScript", DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Docker ignores published ports for containers on the host network.");

    private static readonly HashSet<string> Calls = new(StringComparer.Ordinal) { "Run", "RunAsync" };

    /// <inheritdoc/>
    protected override DiagnosticDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Methods => Calls;

    /// <inheritdoc/>
    protected override void AnalyzeCall(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax call)
    {
        var onHost = false;
        ExpressionSyntax? ports = null;
        foreach (var (name, value) in Arguments.Named(call, context.SemanticModel, context.CancellationToken))
        {
            if (name == "network" && Arguments.Constant(value, context.SemanticModel, context.CancellationToken) is "host")
            {
                onHost = true;
            }
            else if (name == "ports" && !Arguments.IsNull(value))
            {
                ports = value;
            }
        }
        if (onHost && ports is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, ports.GetLocation(),
                "ports: are ignored on network: \"host\": the container already uses the host's own ports, so Docker publishes nothing; drop ports: or use another network."));
        }
    }
}
