namespace DockScript.Tests;

public sealed class ContainerRootTests
{
    [Fact]
    public async Task An_absolute_link_is_followed_inside_the_root_not_on_the_host()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        dir.Write("root/srv/hosts", "10.0.0.9 inside\n");
        // On the host, /srv/hosts does not hold this text (or does not exist): reading it would be the escape.
        File.CreateSymbolicLink(Path.Combine(root, "hosts-link"), "/srv/hosts");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.CreateSymbolicLink(Path.Combine(root, "etc", "hosts"), "/hosts-link");
        Assert.Equal(Path.Combine(root, "srv", "hosts"), ContainerRoot.Resolve(root, "/etc/hosts"));
        Assert.Equal("10.0.0.9 inside\n", await ContainerRoot.ReadAllTextAsync(root, "/etc/hosts", default));
    }

    [Fact]
    public void Dot_dot_stops_at_the_root_and_relative_links_resolve_from_their_folder()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        dir.Write("root/etc/real.conf", "nameserver 10.0.0.1\n");
        dir.Write("secret", "the host's file\n");
        File.CreateSymbolicLink(Path.Combine(root, "etc", "resolv.conf"), "../../../../../etc/./real.conf");
        File.CreateSymbolicLink(Path.Combine(root, "etc", "up"), "../../secret");
        Assert.Equal(Path.Combine(root, "etc", "real.conf"), ContainerRoot.Resolve(root, "/etc/resolv.conf"));
        Assert.Equal(Path.Combine(root, "secret"), ContainerRoot.Resolve(root, "/etc/up"));
        Assert.False(File.Exists(ContainerRoot.Resolve(root, "/etc/up")));
    }

    [Fact]
    public void A_link_loop_is_an_io_error()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.CreateSymbolicLink(Path.Combine(root, "etc", "a"), "/etc/b");
        File.CreateSymbolicLink(Path.Combine(root, "etc", "b"), "a");
        Assert.Contains("more than 40 symbolic links", Assert.Throws<IOException>(() => ContainerRoot.Resolve(root, "/etc/a")).Message);
    }
}
