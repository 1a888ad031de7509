using System.Runtime.InteropServices;

namespace DockScript.Cli.Repl;

/// <summary>
/// Gives back what the warm-up used and no longer needs: the compiler and the editor services
/// allocate heavily once, then sit idle for as long as the REPL is open.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>
    /// How much the REPL's resident memory may grow past what it was after the last trim before
    /// a submission's end gives it back. A compile allocates megabytes that outlive a few
    /// collections and then die in the older generations: over a burst of submissions the GC
    /// held 60–90 MB of them until its next full collection (docs/BENCHMARKS.md, "REPL"). Giving
    /// it back costs 10–20 ms, paid once in several submissions.
    /// </summary>
    public const long Slack = 24L << 20;

    private static long afterTrim;

    /// <summary>True when the resident memory grew more than <see cref="Slack"/> since the last trim (or since first asked).</summary>
    public static bool Grown()
    {
        var now = Environment.WorkingSet;
        var then = Interlocked.CompareExchange(ref afterTrim, now, 0);
        return then != 0 && now - then > Slack;
    }

    public static void Trim()
    {
        try
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            if (OperatingSystem.IsLinux())
            {
                TrimNative();
            }
        }
        finally
        {
            Interlocked.Exchange(ref afterTrim, Environment.WorkingSet);
        }
    }

    private static void TrimNative()
    {
        try
        {
            // glibc keeps freed native memory for reuse; hand it back to the system.
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to trim.
        }
    }

    // DllImport rather than LibraryImport: the generated stub would need unsafe code for one int.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054
}
