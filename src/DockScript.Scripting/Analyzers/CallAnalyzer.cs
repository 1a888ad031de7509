using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// The shape every DockScript analyzer shares: one rule, judged on calls to a few DSL methods
/// (matched by name, so a call still counts while the script has other errors).
/// </summary>
internal abstract class CallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The rule this analyzer reports.</summary>
    protected abstract DiagnosticDescriptor Descriptor { get; }

    /// <summary>The method names whose calls are judged (plain and Async forms).</summary>
    protected abstract IReadOnlySet<string> Methods { get; }

    /// <inheritdoc/>
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Descriptor];

    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(c =>
        {
            var call = (InvocationExpressionSyntax)c.Node;
            if (Arguments.MethodName(call) is { } method && Methods.Contains(method))
            {
                AnalyzeCall(c, call);
            }
        }, SyntaxKind.InvocationExpression);
    }

    /// <summary>Judges one call to one of <see cref="Methods"/>.</summary>
    protected abstract void AnalyzeCall(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax call);
}
