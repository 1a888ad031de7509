using System.Diagnostics;

namespace DockScript.Cli.Repl;

/// <summary>
/// Where the REPL's first second goes: with <c>DOCKSCRIPT_TRACE=FILE</c>, each milestone is
/// appended to FILE as milliseconds since the process started (bench/repl/run reads it for the
/// breakdown in docs/BENCHMARKS.md). Off, it costs one environment read.
/// </summary>
internal static class StartupTrace
{
    private static readonly string? File = Environment.GetEnvironmentVariable("DOCKSCRIPT_TRACE") is { Length: > 0 } path ? path : null;
    private static readonly Lock Sync = new();

    public static void Mark(string milestone)
    {
        if (File is null)
        {
            return;
        }
        using var process = Process.GetCurrentProcess();
        var since = DateTime.Now - process.StartTime;
        var cpu = process.TotalProcessorTime;
        lock (Sync)
        {
            System.IO.File.AppendAllText(File, $"{since.TotalMilliseconds:0} {milestone} (cpu {cpu.TotalMilliseconds:0})\n");
        }
    }
}
