namespace DockScript;

/// <summary>
/// Paths inside a container, seen from the host through <c>/proc/&lt;pid&gt;/root</c>. The kernel
/// resolves an absolute symlink met on the way from the <em>host's</em> root, so an image whose
/// <c>/etc/hosts</c> points at <c>/etc/shadow</c> would have us read the host's file. Here every
/// link is followed by hand, with the container's root as <c>/</c> (as the container itself sees
/// it), and <c>..</c> stops at that root.
/// </summary>
internal static class ContainerRoot
{
    /// <summary>Linux's own limit on links followed in one lookup.</summary>
    private const int MaxLinks = 40;

    /// <summary>The host path of <paramref name="path"/> inside the tree at <paramref name="root"/>, every symlink resolved within it.</summary>
    /// <exception cref="IOException">More than 40 links (a loop).</exception>
    public static string Resolve(string root, string path)
    {
        var resolved = new List<string>();
        var todo = new Stack<string>();
        Push(todo, path);
        var links = 0;
        while (todo.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            var here = Join(root, resolved) + "/" + part;
            if (new FileInfo(here).LinkTarget is not { } target)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxLinks)
            {
                throw new IOException($"{path} in the container goes through more than {MaxLinks} symbolic links (a loop?).");
            }
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }
            Push(todo, target);
        }
        return Join(root, resolved);
    }

    /// <summary>Reads a text file of the container, as the container would read it.</summary>
    public static Task<string> ReadAllTextAsync(string root, string path, CancellationToken ct) =>
        File.ReadAllTextAsync(Resolve(root, path), ct);

    private static void Push(Stack<string> todo, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            todo.Push(parts[i]);
        }
    }

    private static string Join(string root, List<string> parts) =>
        parts.Count == 0 ? root : root.TrimEnd('/') + "/" + string.Join('/', parts);
}
