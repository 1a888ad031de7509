using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// Reads a call the way a user wrote it: the method's name and each argument's parameter name.
/// Named arguments need no symbol, so the analyzers work on calls to members that another version
/// of DockScript adds (probes) as long as the user names the argument.
/// </summary>
internal static class Arguments
{
    /// <summary>The simple name of the invoked method: <c>Create</c> for <c>Networks.Create(…)</c>.</summary>
    public static string? MethodName(InvocationExpressionSyntax call) => LastName(call.Expression);

    /// <summary>
    /// The last simple name of an expression as written: <c>Create</c> for <c>Networks.Create</c>,
    /// <c>Containers</c> for <c>Containers</c> or <c>lab.Containers</c>; null for anything else.
    /// </summary>
    public static string? LastName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        GenericNameSyntax g => g.Identifier.ValueText,
        MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax b => b.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Each argument with the name of the parameter it binds to (named, or by position when the call binds).</summary>
    public static IEnumerable<(string Name, ExpressionSyntax Value)> Named(InvocationExpressionSyntax call, SemanticModel model, CancellationToken ct)
    {
        IMethodSymbol? method = null;
        var position = 0;
        foreach (var argument in call.ArgumentList.Arguments)
        {
            if (argument.NameColon is { } nameColon)
            {
                yield return (nameColon.Name.Identifier.ValueText, argument.Expression);
                continue;
            }
            method ??= Bind(call, model, ct);
            if (method is not null && position < method.Parameters.Length && !method.Parameters[position].IsParams)
            {
                yield return (method.Parameters[position].Name, argument.Expression);
            }
            position++;
        }
    }

    private static IMethodSymbol? Bind(InvocationExpressionSyntax call, SemanticModel model, CancellationToken ct)
    {
        var info = model.GetSymbolInfo(call, ct);
        return info.Symbol as IMethodSymbol
            ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] as IMethodSymbol : null);
    }

    /// <summary>The compile-time constant of an expression, if it has one.</summary>
    public static object? Constant(ExpressionSyntax expression, SemanticModel model, CancellationToken ct)
    {
        var constant = model.GetConstantValue(expression, ct);
        return constant.HasValue ? constant.Value : null;
    }

    /// <summary>True for the literal <c>null</c> (or <c>default</c>).</summary>
    public static bool IsNull(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax { Token.ValueText: "null" or "default" } || expression.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.DefaultLiteralExpression);

    private static readonly Dictionary<string, double> MillisecondsPer = new(StringComparer.Ordinal)
    {
        ["FromTicks"] = 1e-4, ["FromMilliseconds"] = 1, ["FromSeconds"] = 1_000, ["FromMinutes"] = 60_000,
        ["FromHours"] = 3_600_000, ["FromDays"] = 86_400_000,
    };

    /// <summary>
    /// The duration, in milliseconds, of a constant written <c>TimeSpan.FromSeconds(-1)</c> (any
    /// <c>From…</c> unit), <c>TimeSpan.Zero</c> or <c>-TimeSpan.FromSeconds(1)</c>; null when it is not a constant.
    /// </summary>
    public static double? ConstantMilliseconds(ExpressionSyntax expression, SemanticModel model, CancellationToken ct)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax p:
                return ConstantMilliseconds(p.Expression, model, ct);
            case PrefixUnaryExpressionSyntax u when u.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.UnaryMinusExpression):
                return -ConstantMilliseconds(u.Operand, model, ct);
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero" } zero when IsTimeSpan(zero.Expression):
                return 0;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call
                when IsTimeSpan(m.Expression) && MillisecondsPer.TryGetValue(m.Name.Identifier.ValueText, out var unit)
                     && call.ArgumentList.Arguments.Count == 1
                     && Constant(call.ArgumentList.Arguments[0].Expression, model, ct) is { } value
                     && AsDouble(value) is { } number:
                return number * unit;
            default:
                return null;
        }
    }

    private static bool IsTimeSpan(ExpressionSyntax e) => e.ToString() is "TimeSpan" or "System.TimeSpan" or "global::System.TimeSpan";

    /// <summary>A numeric constant as a double.</summary>
    public static double? AsDouble(object? value) => value switch
    {
        int i => i, long l => l, short s => s, sbyte b => b, uint u => u, ulong ul => ul, ushort us => us, byte by => by,
        double d => d, float f => f, decimal m => (double)m,
        _ => null,
    };
}
