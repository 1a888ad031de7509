using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DockScript.Scripting.Analyzers;

/// <summary>DockScript's own analyzers, run by <c>dockscript check</c> and before every <c>dockscript run</c>.</summary>
internal static class DockScriptAnalyzers
{
    /// <summary>Every analyzer: DS0001 (subnet and gateway literals), DS0002 (ports on the host network), DS0003 (probe count and timeout), DS0004 (a name probed from the default bridge), DS0005 (capture filter literals).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } =
        [new SubnetAnalyzer(), new HostNetworkPortsAnalyzer(), new ProbeArgumentsAnalyzer(), new DefaultBridgeNamesAnalyzer(), new CaptureFilterAnalyzer()];
}
