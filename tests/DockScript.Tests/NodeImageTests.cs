namespace DockScript.Tests;

public sealed class NodeImageTests
{
    [Fact]
    public void Ldd_output_gives_every_library_path_and_the_loader()
    {
        const string output = """
                linux-vdso.so.1 (0x00007ffd5b7f2000)
                libseccomp.so.2 => /lib/x86_64-linux-gnu/libseccomp.so.2 (0x00007f429b294000)
                libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f429b0b2000)
                /lib64/ld-linux-x86-64.so.2 (0x00007f429b2c8000)
            """;
        Assert.Equal(["/lib/x86_64-linux-gnu/libseccomp.so.2", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"], NodeImage.ParseLdd(output));
    }

    [Fact]
    public void A_static_binary_has_no_libraries() =>
        Assert.Empty(NodeImage.ParseLdd("\tnot a dynamic executable\n"));

    [Fact]
    public void The_node_image_runs_the_inner_engine_on_the_api_port()
    {
        var changes = NodeImage.Changes("2:x");
        Assert.Contains(changes, c => c.StartsWith("CMD [\"dockerd\"", StringComparison.Ordinal) && c.Contains("tcp://0.0.0.0:2375", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Contains(NodeImage.VersionLabel, StringComparison.Ordinal));
    }
}
