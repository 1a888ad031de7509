using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// DS0002: <c>ports:</c> together with <c>network: "host"</c>. A host-network container uses the
/// host's own ports, so Docker silently drops the published ports (seed claim S4).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HostNetworkPortsAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The rule: DS0002, a warning.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        "DS0002", "Published ports on the host network", "{0}", "DockScript", DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Docker ignores published ports for containers on the host network.");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.InvocationExpression);
    }

    private static void Analyze(SyntaxNodeAnalysisContext context)
    {
        var call = (InvocationExpressionSyntax)context.Node;
        if (Arguments.MethodName(call) is not ("Run" or "RunAsync"))
        {
            return;
        }
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
