using System.Net;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// DS0001: a <c>subnet:</c> or <c>gateway:</c> written as a literal that Docker would refuse,
/// caught before anything runs. The rules are Core's own (<see cref="Cidr"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class SubnetAnalyzer : CallAnalyzer
{
    /// <summary>The rule: DS0001, an error.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        "DS0001", "Malformed subnet or gateway", "{0}", "DockScript", DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A subnet: or gateway: literal that does not parse as Docker expects.");

    private static readonly HashSet<string> Calls = new(StringComparer.Ordinal) { "Create", "CreateAsync" };

    /// <inheritdoc/>
    protected override DiagnosticDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Methods => Calls;

    /// <inheritdoc/>
    protected override void AnalyzeCall(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax call)
    {
        IPNetwork? subnet = null;
        ExpressionSyntax? gatewayAt = null;
        string? gateway = null;
        foreach (var (name, value) in Arguments.Named(call, context.SemanticModel, context.CancellationToken))
        {
            if (Arguments.Constant(value, context.SemanticModel, context.CancellationToken) is not string text)
            {
                continue;
            }
            if (name == "subnet")
            {
                try
                {
                    subnet = Cidr.ParseSubnet(text);
                }
                catch (FormatException e)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Rule, value.GetLocation(), $"subnet: {e.Message}"));
                }
            }
            else if (name == "gateway")
            {
                (gateway, gatewayAt) = (text, value);
            }
        }
        if (gateway is null || gatewayAt is null)
        {
            return;
        }
        // Four dotted parts or a colon: IPAddress alone would accept "10.1" as 10.0.0.1.
        if ((!gateway.Contains(':', StringComparison.Ordinal) && gateway.Count(c => c == '.') != 3) || !IPAddress.TryParse(gateway, out var address))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, gatewayAt.GetLocation(), $"gateway: '{gateway}' is not an IP address; write it like 10.30.0.1."));
        }
        else if (subnet is { } net && !net.Contains(address))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, gatewayAt.GetLocation(), $"gateway: '{gateway}' is not inside the subnet {net}; pick an address in it."));
        }
    }
}
