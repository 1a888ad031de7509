namespace DockScript;

/// <summary>
/// An image DockScript builds itself, offline, from a static busybox: no registry is needed.
/// </summary>
/// <param name="Name">The image reference, e.g. <c>dockscript/web</c>.</param>
/// <param name="Description">What the image is for, one line.</param>
/// <param name="Applets">The busybox applets linked into <c>/bin</c>; empty means busybox alone.</param>
/// <param name="Changes">Dockerfile-style instructions applied at import (CMD, EXPOSE, …).</param>
internal sealed record LabImage(string Name, string Description, IReadOnlyList<string> Applets, IReadOnlyList<string> Changes)
{
    /// <summary>
    /// Bumped whenever the content of a lab image changes, so that a newer DockScript rebuilds
    /// images an older one left on the engine.
    /// </summary>
    public const int ContentVersion = 2;

    /// <summary>The label that carries <see cref="ContentVersion"/>.</summary>
    public const string VersionLabel = "io.dockscript.image-version";

    private static readonly string[] ToolApplets =
    [
        "sh", "ash", "cat", "echo", "printf", "ls", "ps", "kill", "sleep", "true", "false", "test", "[",
        "env", "id", "uname", "hostname", "date", "head", "tail", "grep", "sed", "awk", "cut", "tr", "wc",
        "sort", "uniq", "seq", "mkdir", "rm", "cp", "mv", "touch", "timeout", "xargs", "tee", "hexdump",
        "ping", "ping6", "wget", "nslookup", "nc", "telnet", "ip", "ifconfig", "route", "netstat", "arp",
        "traceroute", "httpd", "vi", "less", "top", "free", "mount", "base64", "mkfifo", "nsenter",
    ];

    /// <summary>
    /// <c>dockscript/web</c>: busybox httpd on port 80, answering <c>GET /</c> with the container's hostname.
    /// </summary>
    public static LabImage Web { get; } = new(
        "dockscript/web",
        "busybox httpd on :80 answering with the container's hostname",
        ToolApplets,
        [
            "CMD [\"/bin/sh\", \"-c\", \"hostname > /www/index.html && exec httpd -f -p 80 -h /www\"]",
            "EXPOSE 80/tcp",
        ]);

    /// <summary>
    /// <c>dockscript/toolbox</c>: ping, wget, nslookup, nc, ip, ifconfig, sleep and a shell; it idles by default.
    /// </summary>
    public static LabImage Toolbox { get; } = new(
        "dockscript/toolbox",
        "busybox network tools (ping, wget, nslookup, nc, ip, ifconfig, sleep, sh)",
        ToolApplets,
        ["CMD [\"sleep\", \"2147483647\"]"]);

    /// <summary>The images <c>Containers.Run</c> builds on demand.</summary>
    public static IReadOnlyList<LabImage> All { get; } = [Web, Toolbox];

    /// <summary>The lab image a reference names (with or without <c>:latest</c>), if any.</summary>
    public static LabImage? Find(string reference)
    {
        var name = reference.EndsWith(":latest", StringComparison.Ordinal) ? reference[..^":latest".Length] : reference;
        return All.FirstOrDefault(i => i.Name == name);
    }

    /// <summary>Every instruction applied at import: the image's own plus the shared ones.</summary>
    internal IEnumerable<string> AllChanges =>
        Changes.Concat(
        [
            "ENV PATH=/bin",
            "WORKDIR /",
            $"LABEL {VersionLabel}={ContentVersion}",
            $"LABEL io.dockscript.image={Name}",
        ]);
}
