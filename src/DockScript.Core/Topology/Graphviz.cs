using System.Diagnostics;

namespace DockScript;

/// <summary>
/// Graphviz's <c>dot</c>, run as a process: it lays out the DOT text <see cref="TopologyDot"/> writes
/// (clusters, ranks, edge routing) and draws it as SVG. DockScript writes no coordinates itself.
/// </summary>
internal static class Graphviz
{
    /// <summary>The sentence said when no layout engine is installed.</summary>
    public const string Missing = "Graphviz's dot is not installed (apt-get install graphviz), so no picture can be laid out";

    private static readonly Lazy<string?> Found = new(() => Locate("dot"));

    private static readonly AsyncLocal<string?> OverrideHere = new();

    /// <summary>Tests point this at a missing program to see the fallback, for their own flow only; null means "look on PATH".</summary>
    internal static string? Override
    {
        get => OverrideHere.Value;
        set => OverrideHere.Value = value;
    }

    /// <summary>The <c>dot</c> executable, or null when there is none.</summary>
    public static string? Executable => Override is { } path ? (File.Exists(path) ? path : null) : Found.Value;

    /// <summary>The SVG of <paramref name="dot"/>, or null when Graphviz is not installed.</summary>
    /// <exception cref="DockScriptException">dot refused the input or did not finish in time.</exception>
    public static async Task<string?> RenderSvgAsync(string dot, CancellationToken ct)
    {
        if (Executable is not { } exe)
        {
            return null;
        }
        var start = new ProcessStartInfo(exe, ["-Tsvg"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new DockScriptException($"Could not start {exe}.");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(bound.Token);
            var errors = process.StandardError.ReadToEndAsync(bound.Token);
            await process.StandardInput.WriteAsync(dot.AsMemory(), bound.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            var svg = await output.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new DockScriptException($"Graphviz's dot could not draw the topology: {(await errors.ConfigureAwait(false)).Trim()}");
            }
            return svg;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested)
            {
                throw;
            }
            throw new DockScriptException("Graphviz's dot did not finish drawing the topology within 60 s.");
        }
    }

    private static string? Locate(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
