using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// DS0003: a probe (<c>Ping</c>, <c>Curl</c>, <c>Resolve</c>, <c>Reachability</c>) given a <c>count:</c> or
/// <c>timeout:</c> that cannot mean anything: no packets, a negative or zero wait, or one so long
/// the script would seem to hang.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ProbeArgumentsAnalyzer : CallAnalyzer
{
    /// <summary>The rule: DS0003, an error.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        "DS0003", "Probe count or timeout out of range", "{0}", "DockScript", DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A probe's count must be 1 or more, its timeout positive and at most an hour.");

    // The same limits the probes enforce at run time, so check and run agree.
    private const int MaxCount = DockScript.Probes.MaxCount;
    private static readonly TimeSpan MaxTimeout = DockScript.Probes.MaxTimeout;

    private static readonly HashSet<string> Probes = new(StringComparer.Ordinal)
    {
        "Ping", "PingAsync", "Curl", "CurlAsync", "Resolve", "ResolveAsync", "Reachability", "ReachabilityAsync",
    };

    /// <inheritdoc/>
    protected override DiagnosticDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    protected override IReadOnlySet<string> Methods => Probes;

    /// <inheritdoc/>
    protected override void AnalyzeCall(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax call)
    {
        var method = Arguments.MethodName(call);
        var model = context.SemanticModel;
        var ct = context.CancellationToken;
        foreach (var (name, value) in Arguments.Named(call, model, ct))
        {
            var problem = name switch
            {
                "count" => CountProblem(Arguments.AsDouble(Arguments.Constant(value, model, ct))),
                "timeout" => TimeoutProblem(Arguments.ConstantMilliseconds(value, model, ct) ?? NonPositive(Arguments.AsDouble(Arguments.Constant(value, model, ct))), value),
                _ => null,
            };
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, value.GetLocation(), $"{method}: {problem}"));
            }
        }
    }

    // A plain number as a timeout has a unit only the probe knows; only its sign can be judged here.
    private static double? NonPositive(double? number) => number is <= 0 ? number : null;

    private static string? CountProblem(double? count) => count switch
    {
        null => null,
        <= 0 => $"count: {count} sends nothing; give a count of 1 or more.",
        > MaxCount => $"count: {count} would take hours; give a count of at most {MaxCount}.",
        _ => null,
    };

    private static string? TimeoutProblem(double? milliseconds, ExpressionSyntax written) => milliseconds switch
    {
        null => null,
        <= 0 => $"timeout: {written} is not a positive duration; give one such as TimeSpan.FromSeconds(2).",
        var ms when ms > MaxTimeout.TotalMilliseconds => $"timeout: {written} is longer than an hour, so a lost answer would look like a hang; give one such as TimeSpan.FromSeconds(5).",
        _ => null,
    };
}
