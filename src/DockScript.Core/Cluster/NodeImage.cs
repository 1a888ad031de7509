using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;

namespace DockScript;

/// <summary>
/// <c>dockscript/node</c>: a root filesystem holding this machine's own Docker engine (dockerd,
/// containerd, the runc shim, runc, docker-init, docker-proxy), <c>ip</c>, the iptables of the
/// host (xtables, with its extensions: without them dockerd fails with "Couldn't load target
/// `standard'"), busybox and every library <c>ldd</c> lists for them. Built offline, like the lab
/// images: a cluster on one machine needs neither a registry nor a VM.
/// </summary>
internal static class NodeImage
{
    /// <summary>The image reference.</summary>
    public const string Name = "dockscript/node";

    /// <summary>Bumped when the layout changes, so an older node image is rebuilt.</summary>
    public const int ContentVersion = 2;

    /// <summary>The label that says which binaries and layout the image was built from.</summary>
    public const string VersionLabel = "io.dockscript.node-version";

    /// <summary>The port the inner engine's API listens on, plain TCP on the session network only.</summary>
    public const int ApiPort = 2375;

    private static readonly string[] Programs = ["dockerd", "containerd", "containerd-shim-runc-v2", "runc", "docker-init", "docker-proxy", "ip"];

    private static readonly string[] SearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private static readonly string[] XtablesNames =
        ["iptables", "iptables-save", "iptables-restore", "ip6tables", "ip6tables-save", "ip6tables-restore"];

    /// <summary>The binaries the node image is made of, found on this machine, or one sentence saying what is missing.</summary>
    public static (IReadOnlyList<string> Files, string Xtables, string Busybox) FindParts()
    {
        var missing = new List<string>();
        var files = new List<string>();
        foreach (var program in Programs)
        {
            if (Which(program) is { } path)
            {
                files.Add(path);
            }
            else
            {
                missing.Add(program);
            }
        }
        // The iptables the host itself uses (nft or legacy): the same kernel serves the nodes.
        var iptables = Which("iptables") is { } ipt ? Path.GetFileName(Resolve(ipt)) : null;
        var xtables = iptables is "xtables-nft-multi" or "xtables-legacy-multi" ? Which(iptables) : Which("xtables-nft-multi") ?? Which("xtables-legacy-multi");
        if (xtables is null)
        {
            missing.Add("xtables-nft-multi or xtables-legacy-multi (apt-get install iptables)");
        }
        else
        {
            files.Add(xtables);
        }
        var busybox = Which("busybox");
        if (busybox is null)
        {
            missing.Add("busybox");
        }
        if (missing.Count > 0)
        {
            throw new ImageUnavailableException(
                $"A cluster node is built from this machine's own Docker engine, but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not installed here; install docker.io (and iptables, busybox) or use Cluster.Connect with engines you already have.");
        }
        return (files, xtables!, busybox!);
    }

    /// <summary>The version stamp: the layout version and each binary's size and time, so an upgraded engine rebuilds the image.</summary>
    public static string Stamp(IReadOnlyList<string> files) =>
        ContentVersion.ToString(CultureInfo.InvariantCulture) + ":" + string.Join(",", files.Select(f =>
        {
            var info = new FileInfo(Resolve(f));
            return $"{Path.GetFileName(f)}={info.Length}@{info.LastWriteTimeUtc.Ticks}";
        }));

    /// <summary>The instructions applied at import: where programs are, and the inner engine as the command.</summary>
    public static IReadOnlyList<string> Changes(string stamp) =>
    [
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        $"CMD [\"dockerd\", \"--tls=false\", \"-H\", \"unix:///run/docker.sock\", \"-H\", \"tcp://0.0.0.0:{ApiPort}\"]",
        $"LABEL {VersionLabel}=\"{stamp}\"",
    ];

    /// <summary>Writes the node's root filesystem as a tar into <paramref name="tar"/>.</summary>
    public static async Task WriteAsync(Stream tar, IReadOnlyList<string> programs, string xtables, string busybox, CancellationToken ct)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        // A library is often asked for by a link (/lib64/ld-linux-x86-64.so.2 → …/x86_64-linux-gnu/…):
        // the file is stored where it truly is, and the link beside it.
        var links = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string path)
        {
            var real = RealPath(path);
            files.Add(real);
            var asked = Path.Combine(RealDirectory(path), Path.GetFileName(path));
            if (asked != real)
            {
                links[asked] = real;
            }
        }
        foreach (var program in programs.Append(busybox))
        {
            Add(program);
            foreach (var library in await LibrariesAsync(program, ct).ConfigureAwait(false))
            {
                Add(library);
            }
        }
        // The xtables extensions are loaded at run time: ldd does not list them.
        var extensions = Path.Combine(Path.GetDirectoryName(RealPath(LibrariesOf(files, "libxtables") ?? "/usr/lib/x86_64-linux-gnu/libxtables.so.12"))!, "xtables");
        if (Directory.Exists(extensions))
        {
            foreach (var so in Directory.GetFiles(extensions, "*.so"))
            {
                Add(so);
                foreach (var library in await LibrariesAsync(so, ct).ConfigureAwait(false))
                {
                    Add(library);
                }
            }
        }

        await using var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true);
        var dirs = new SortedSet<string>(StringComparer.Ordinal) { "etc", "tmp", "proc", "sys", "dev", "run", "var/lib/docker", "var/run", "root", "usr/bin", "usr/sbin" };
        foreach (var file in files.Concat(links.Keys))
        {
            for (var dir = Path.GetDirectoryName(file.TrimStart('/')); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                dirs.Add(dir);
            }
        }
        // The host's merged /usr: /bin, /lib, … are links into /usr here too.
        var topLinks = TopDirs.Where(d => new DirectoryInfo("/" + d).LinkTarget is not null).ToList();
        foreach (var dir in dirs.Where(d => !topLinks.Contains(d.Split('/')[0])))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = DirMode(dir), ModificationTime = Epoch }, ct).ConfigureAwait(false);
        }
        foreach (var link in topLinks)
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, link) { LinkName = new DirectoryInfo("/" + link).LinkTarget!, ModificationTime = Epoch }, ct).ConfigureAwait(false);
        }
        foreach (var file in files)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, file.TrimStart('/')) { Mode = Executable, ModificationTime = Epoch };
            await using var content = File.OpenRead(file);
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
        }
        foreach (var (link, target) in links)
        {
            if (!files.Contains(link))
            {
                await Link(writer, link.TrimStart('/'), target, ct).ConfigureAwait(false);
            }
        }
        var xtablesDir = Path.GetDirectoryName(RealPath(xtables))!.TrimStart('/');
        foreach (var name in XtablesNames)
        {
            await Link(writer, $"{xtablesDir}/{name}", Path.GetFileName(xtables), ct).ConfigureAwait(false);
        }
        var busyboxDir = Path.GetDirectoryName(RealPath(busybox))!.TrimStart('/');
        foreach (var applet in Applets.Where(a => !files.Any(f => Path.GetFileName(f) == a)))
        {
            await Link(writer, $"{busyboxDir}/{applet}", Path.GetFileName(busybox), ct).ConfigureAwait(false);
        }
        await Text(writer, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", ct).ConfigureAwait(false);
        await Text(writer, "etc/group", "root:x:0:\ndocker:x:999:\n", ct).ConfigureAwait(false);
        await Text(writer, "etc/hosts", "127.0.0.1 localhost\n", ct).ConfigureAwait(false);
        await Text(writer, "etc/nsswitch.conf", "hosts: files dns\n", ct).ConfigureAwait(false);
    }

    private static readonly string[] TopDirs = ["bin", "sbin", "lib", "lib64"];

    /// <summary>Busybox applets the inner engine and a user's <c>docker exec</c> into a node expect.</summary>
    private static readonly string[] Applets =
        ["sh", "cat", "ls", "ps", "kill", "mount", "umount", "modprobe", "mkdir", "rm", "sleep", "grep", "sed", "tar", "gzip", "ping", "wget", "nslookup", "nc", "df", "uname", "env", "true", "false"];

    private static string? LibrariesOf(IEnumerable<string> files, string prefix) =>
        files.FirstOrDefault(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>What <c>ldd</c> lists for a binary (none for a static one).</summary>
    private static async Task<IReadOnlyList<string>> LibrariesAsync(string binary, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(binary);
        using var ldd = Process.Start(start) ?? throw new ImageUnavailableException("Could not run ldd to find the libraries of the node image; install libc-bin.");
        var output = await ldd.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await ldd.WaitForExitAsync(ct).ConfigureAwait(false);
        return ParseLdd(output);
    }

    /// <summary>The absolute paths in <c>ldd</c> output: "libc.so.6 => /lib/…/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)".</summary>
    internal static IReadOnlyList<string> ParseLdd(string output)
    {
        var paths = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            var rest = (arrow >= 0 ? line[(arrow + 2)..] : line).Trim();
            var path = rest.Split(' ', 2)[0];
            if (path.StartsWith('/'))
            {
                paths.Add(path);
            }
        }
        return paths;
    }

    private static string? Which(string program) =>
        SearchPath.Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>The file a path finally names (links followed).</summary>
    private static string Resolve(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    /// <summary>The path with every link in it followed, so each file is stored once, where it truly is.</summary>
    private static string RealPath(string path)
    {
        var file = Resolve(path);
        return Path.Combine(RealDirectory(file), Path.GetFileName(file));
    }

    /// <summary>The directory of <paramref name="path"/> with every link in it followed.</summary>
    private static string RealDirectory(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        var parts = dir.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var real = "/";
        foreach (var part in parts)
        {
            var next = Path.Combine(real, part);
            var target = new DirectoryInfo(next).LinkTarget;
            real = target is null ? next : Path.GetFullPath(target, real);
        }
        return real;
    }

    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(0);

    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static UnixFileMode DirMode(string dir) => dir == "tmp" ? (UnixFileMode)0b1_111_111_111 : Executable;

    private static Task Link(TarWriter writer, string path, string target, CancellationToken ct) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target, ModificationTime = Epoch }, ct);

    private static Task Text(TarWriter writer, string path, string text, CancellationToken ct) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = Epoch,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false),
        }, ct);
}
