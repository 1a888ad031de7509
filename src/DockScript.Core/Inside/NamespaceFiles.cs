namespace DockScript;

/// <summary>
/// Reads the <c>/proc/net</c> and <c>/sys/class/net</c> files of a container's network namespace.
/// Locally as root it reads them straight from <c>/proc/&lt;pid&gt;</c> (fast, any image);
/// otherwise it runs a small shell script in the container, and when the image has no shell,
/// in the container's probe helper (a toolbox container that shares its namespace).
/// </summary>
/// <param name="fastPath">True when this host's /proc may be read (local engine, root, not forced portable).</param>
/// <param name="runInHelper">Runs a command in a container's probe helper (the probes' pool), so
/// Inside needs nothing of Probes.</param>
internal sealed class NamespaceFiles(Func<bool> fastPath, Func<Container, IReadOnlyList<string>, CancellationToken, Task<string>> runInHelper)
{
    public async Task<IReadOnlyDictionary<string, string>> ReadNetworkFilesAsync(Container container, CancellationToken ct)
    {
        var state = await container.InspectRawAsync(ct).ConfigureAwait(false);
        if (!state.Running)
        {
            throw new DockScriptException($"{container.Name} is not running, so it has no network namespace to look into; start it first.");
        }
        if (fastPath() && ReadFromHostProc(state.Pid) is { } files)
        {
            return files;
        }
        var exec = await container.ExecAsync(["/bin/sh", "-c", ProcNet.DumpScript], ct).ConfigureAwait(false);
        // An image may have a shell but no cat: only a dump that holds the interface list counts.
        if (!exec.ProgramMissing && ProcNet.ParseDump(exec.Stdout) is { } dumped
            && dumped.TryGetValue("/proc/net/dev", out var dev) && dev.Length > 0)
        {
            return dumped;
        }
        // No shell or no cat in the image: the probe helper that shares its namespace reads them.
        return ProcNet.ParseDump(await runInHelper(container, ["/bin/sh", "-c", ProcNet.DumpScript], ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The container's <c>/proc/net/tcp</c> and <c>tcp6</c>, one after the other: from this host's
    /// /proc when it can, else through the probe helper that shares its namespace.
    /// </summary>
    public async Task<string> ReadTcpTablesAsync(Container container, CancellationToken ct)
    {
        var state = await container.InspectRawAsync(ct).ConfigureAwait(false);
        if (!state.Running)
        {
            throw new DockScriptException($"{container.Name} is not running, so it has no network namespace to look into; start it first.");
        }
        if (fastPath() && state.Pid > 0 && File.Exists($"/proc/{state.Pid}/net/tcp"))
        {
            var tables = await File.ReadAllTextAsync($"/proc/{state.Pid}/net/tcp", ct).ConfigureAwait(false);
            var tcp6 = $"/proc/{state.Pid}/net/tcp6";
            return File.Exists(tcp6) ? tables + await File.ReadAllTextAsync(tcp6, ct).ConfigureAwait(false) : tables;
        }
        return await runInHelper(container, ["/bin/sh", "-c", "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; true"], ct).ConfigureAwait(false);
    }

    private static Dictionary<string, string>? ReadFromHostProc(long pid)
    {
        var root = $"/proc/{pid}";
        if (pid <= 0 || !File.Exists($"{root}/net/dev"))
        {
            return null;
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "dev", "fib_trie", "route", "if_inet6" })
        {
            TryRead($"{root}/net/{name}", $"/proc/net/{name}", files);
        }
        // sysfs seen through the container's own mount namespace shows the container's devices.
        // Every path below the container's root is resolved within it: an image's symlinks cannot point us at the host's files.
        var top = $"{root}/root";
        var sys = ContainerRoot.Resolve(top, "/sys/class/net");
        if (Directory.Exists(sys))
        {
            foreach (var dir in Directory.EnumerateFileSystemEntries(sys))
            {
                var name = Path.GetFileName(dir);
                foreach (var attr in new[] { "address", "mtu", "operstate" })
                {
                    TryRead(() => ContainerRoot.Resolve(top, $"/sys/class/net/{name}/{attr}"), $"/sys/class/net/{name}/{attr}", files);
                }
            }
        }
        return files;
    }

    private static void TryRead(string path, string key, Dictionary<string, string> into) => TryRead(() => path, key, into);

    private static void TryRead(Func<string> path, string key, Dictionary<string, string> into)
    {
        try
        {
            into[key] = File.ReadAllText(path());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Optional detail (e.g. no IPv6): the parser copes with its absence.
        }
    }
}
