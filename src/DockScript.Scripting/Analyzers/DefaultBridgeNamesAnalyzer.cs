using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Scripting.Analyzers;

/// <summary>
/// DS0004: a probe by name from a container that only the default bridge holds. The default
/// bridge has no name resolution (seed claims S2, S11, S12), so <c>Ping(web1, "nginx2")</c> fails
/// there however the target is set up. The rule fires only when the script itself shows it: the
/// source variable was made by <c>Containers.Run</c> without <c>network:</c> (or with
/// <c>"bridge"</c>) and without <c>links:</c>, and nothing connects or reassigns it before the
/// probe (anything in a function, lambda or loop counts as "before").
/// </summary>
/// <example><code>
/// var web1 = Containers.Run("dockscript/web", name: "nginx1");
/// Ping(web1, "nginx2")   // warning DS0004: web1 is only on the default bridge, …
/// </code></example>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class DefaultBridgeNamesAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The rule: DS0004, a warning.</summary>
    public static readonly DiagnosticDescriptor Rule = new(
        "DS0004", "A name probed from the default bridge", "{0}", "DockScript", DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Containers only on Docker's default bridge network cannot resolve other containers' names.",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>Each probe and the parameter that names its target.</summary>
    private static readonly Dictionary<string, string> Targets = new(StringComparer.Ordinal)
    {
        ["Ping"] = "to", ["PingAsync"] = "to", ["Resolve"] = "name", ["ResolveAsync"] = "name", ["Curl"] = "url", ["CurlAsync"] = "url",
    };

    private static readonly HashSet<string> Connects = new(StringComparer.Ordinal) { "Connect", "ConnectAsync" };

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        // The facts come from anywhere in the script (a Connect may follow the probe, or sit in a
        // #load-ed file): gather them per node, judge once the whole compilation has been seen.
        context.RegisterCompilationStartAction(start =>
        {
            var facts = new Facts();
            start.RegisterSyntaxNodeAction(c => facts.Declaration(c), SyntaxKind.VariableDeclarator);
            start.RegisterSyntaxNodeAction(c => facts.Assignment(c), SyntaxKind.SimpleAssignmentExpression);
            start.RegisterSyntaxNodeAction(c => facts.Call(c), SyntaxKind.InvocationExpression);
            start.RegisterCompilationEndAction(facts.Report);
        });
    }

    /// <summary>A container variable made by <c>Containers.Run</c> on the default bridge only, and the names it answers to itself.</summary>
    private sealed record BridgeOnly(string? Name, string? Hostname);

    /// <summary>A probe by name from a variable; <paramref name="Loop"/> is the outermost loop around it, if any.</summary>
    private sealed record Probe(ISymbol From, string Variable, string Host, Location Where, TextSpan? Loop);

    /// <summary>
    /// A place that changes a variable or connects a container. <paramref name="Anytime"/> when it
    /// sits in a function, lambda or loop: it may then run before a probe written above it.
    /// </summary>
    private sealed record Change(SyntaxTree Tree, int Position, bool Anytime)
    {
        public static Change At(SyntaxNode node) => new(node.SyntaxTree, node.SpanStart, node.Ancestors().Any(a => a is
            LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax
            || IsLoop(a)));

        /// <summary>True when this change can take effect before <paramref name="probe"/> runs.</summary>
        public bool Precedes(Probe probe) =>
            Anytime || Tree != probe.Where.SourceTree || Position < probe.Where.SourceSpan.Start
            || (probe.Loop is { } loop && loop.Contains(Position));
    }

    private static bool IsLoop(SyntaxNode node) =>
        node is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachVariableStatementSyntax;

    private sealed class Facts
    {
        private readonly ConcurrentDictionary<ISymbol, BridgeOnly> bridgeOnly = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ConcurrentBag<Change>> changed = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<string, ConcurrentBag<Change>> connectedNames = new(StringComparer.Ordinal);
        private readonly ConcurrentBag<Probe> probes = [];

        public void Declaration(SyntaxNodeAnalysisContext c)
        {
            var declarator = (VariableDeclaratorSyntax)c.Node;
            if (declarator.Initializer?.Value is not { } value)
            {
                return;
            }
            while (value is AwaitExpressionSyntax or ParenthesizedExpressionSyntax)
            {
                value = value is AwaitExpressionSyntax a ? a.Expression : ((ParenthesizedExpressionSyntax)value).Expression;
            }
            if (value is not InvocationExpressionSyntax run || Arguments.MethodName(run) is not ("Run" or "RunAsync")
                || c.SemanticModel.GetSymbolInfo(run, c.CancellationToken).Symbol is not IMethodSymbol { ContainingType.Name: "Containers" }
                || c.SemanticModel.GetDeclaredSymbol(declarator, c.CancellationToken) is not { } variable)
            {
                return;
            }
            string? name = null, hostname = null;
            foreach (var (parameter, argument) in Arguments.Named(run, c.SemanticModel, c.CancellationToken))
            {
                var constant = Arguments.Constant(argument, c.SemanticModel, c.CancellationToken);
                switch (parameter)
                {
                    case "network" when !Arguments.IsNull(argument) && constant is not ("bridge" or "default"):
                    case "links" when !Arguments.IsNull(argument):
                        return;
                    case "name":
                        name = constant as string;
                        break;
                    case "hostname":
                        hostname = constant as string;
                        break;
                }
            }
            bridgeOnly[variable] = new BridgeOnly(name, hostname);
        }

        public void Assignment(SyntaxNodeAnalysisContext c)
        {
            if (c.Node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax left }
                && c.SemanticModel.GetSymbolInfo(left, c.CancellationToken).Symbol is { } variable)
            {
                changed.GetOrAdd(variable, _ => []).Add(Change.At(c.Node));
            }
        }

        public void Call(SyntaxNodeAnalysisContext c)
        {
            var call = (InvocationExpressionSyntax)c.Node;
            var (model, ct) = (c.SemanticModel, c.CancellationToken);
            var method = Arguments.MethodName(call);
            if (method is not null && Connects.Contains(method))
            {
                // What is connected somewhere may be on a user network by the time of any probe.
                foreach (var argument in call.ArgumentList.Arguments)
                {
                    if (argument.Expression is IdentifierNameSyntax id && model.GetSymbolInfo(id, ct).Symbol is { } connected)
                    {
                        changed.GetOrAdd(connected, _ => []).Add(Change.At(call));
                    }
                    else if (Arguments.Constant(argument.Expression, model, ct) is string name)
                    {
                        connectedNames.GetOrAdd(name, _ => []).Add(Change.At(call));
                    }
                }
                return;
            }
            if (method is null || !Targets.TryGetValue(method, out var targetParameter))
            {
                return;
            }
            ExpressionSyntax? from = null, target = null;
            foreach (var (name, value) in Arguments.Named(call, model, ct))
            {
                if (name == "from")
                {
                    from = value;
                }
                else if (name == targetParameter)
                {
                    target = value;
                }
            }
            if (from is IdentifierNameSyntax source && target is not null
                && Arguments.Constant(target, model, ct) is string written
                && HostOf(written, targetParameter == "url") is { } host
                && model.GetSymbolInfo(source, ct).Symbol is { Kind: SymbolKind.Local or SymbolKind.Field } variable)
            {
                var loop = call.Ancestors().LastOrDefault(IsLoop)?.Span;
                probes.Add(new Probe(variable, source.Identifier.ValueText, host, target.GetLocation(), loop));
            }
        }

        public void Report(CompilationAnalysisContext c)
        {
            foreach (var probe in probes)
            {
                if (!bridgeOnly.TryGetValue(probe.From, out var run)
                    || (changed.TryGetValue(probe.From, out var changes) && changes.Any(x => x.Precedes(probe)))
                    || (run.Name is not null && connectedNames.TryGetValue(run.Name, out var connects) && connects.Any(x => x.Precedes(probe)))
                    || string.Equals(run.Name, probe.Host, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(run.Hostname, probe.Host, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // connected or reassigned before it, or its own name (the hosts file knows that one)
                }
                c.ReportDiagnostic(Diagnostic.Create(Rule, probe.Where,
                    $"{probe.Variable} is only on the default bridge network, which has no name resolution: '{probe.Host}' will not resolve from it. "
                    + $"Run it with network: \"<a user-defined network>\" or links: new[] {{ \"{probe.Host}\" }}, or probe by IP."));
            }
        }
    }

    /// <summary>The name a probe target asks for, or null when it is an address (or loopback) that needs no lookup.</summary>
    private static string? HostOf(string written, bool isUrl)
    {
        var host = written.Trim();
        if (isUrl)
        {
            if (!Uri.TryCreate(host, UriKind.Absolute, out var uri) || uri.HostNameType != UriHostNameType.Dns)
            {
                return null;
            }
            host = uri.Host;
        }
        return host.Length == 0 || IPAddress.TryParse(host, out _) || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? null : host;
    }
}
