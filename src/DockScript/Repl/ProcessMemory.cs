using System.Runtime.InteropServices;

namespace DockScript.Cli.Repl;

/// <summary>
/// Gives back what the warm-up used and no longer needs: the compiler and the editor services
/// allocate heavily once, then sit idle for as long as the REPL is open.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>
    /// How much committed memory the GC may hold beyond the live heap before a submission's end
    /// gives it back. A compile allocates tens of megabytes that die at once; the GC keeps the
    /// space committed for the next one, and over a burst of submissions it held 60 MB more than
    /// the heap it served (docs/BENCHMARKS.md, "REPL"). Giving it back costs 10–20 ms.
    /// </summary>
    public const long Slack = 32L << 20;

    /// <summary>True when the GC, at its last collection, held more than <see cref="Slack"/> committed beyond the live heap.</summary>
    public static bool HoldsSlack()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalCommittedBytes - info.HeapSizeBytes > Slack;
    }

    public static void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
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
