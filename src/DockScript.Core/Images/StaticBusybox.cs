namespace DockScript;

/// <summary>
/// Finds a statically linked busybox on this machine. Only a static binary can run alone in an
/// image with no libc, so a dynamic one is refused rather than imported broken.
/// </summary>
internal static class StaticBusybox
{
    private static readonly string[] Candidates = ["/bin/busybox", "/usr/bin/busybox", "/usr/lib/busybox/busybox", "/sbin/busybox"];

    /// <summary>The path of a static busybox, from <c>DOCKSCRIPT_BUSYBOX</c> or the usual places; null if none.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("DOCKSCRIPT_BUSYBOX");
        var paths = string.IsNullOrEmpty(configured) ? Candidates : [configured];
        return paths.FirstOrDefault(p => File.Exists(p) && IsStaticElf(File.ReadAllBytes(p)));
    }

    /// <summary>True for a 64-bit little-endian ELF executable without a PT_INTERP (dynamic loader) header.</summary>
    public static bool IsStaticElf(ReadOnlySpan<byte> elf)
    {
        const int ptInterp = 3;
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 /* 64-bit */ || elf[5] != 1 /* little-endian */)
        {
            return false;
        }
        var phoff = BitConverter.ToInt64(elf[0x20..]);
        var phentsize = BitConverter.ToUInt16(elf[0x36..]);
        var phnum = BitConverter.ToUInt16(elf[0x38..]);
        for (var i = 0; i < phnum; i++)
        {
            var at = phoff + (long)i * phentsize;
            if (at < 0 || at > elf.Length - 4)
            {
                return false;
            }
            if (BitConverter.ToUInt32(elf[(int)at..]) == ptInterp)
            {
                return false;
            }
        }
        return true;
    }
}
