using System.Formats.Tar;
using System.Text;

namespace DockScript.Tests;

public class RootFilesystemTests
{
    private static readonly byte[] FakeBusybox = [0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3, 4, 5, 250];

    private sealed record Entry(string Name, TarEntryType Type, UnixFileMode Mode, string LinkName, byte[]? Data, DateTimeOffset Modified);

    private static List<Entry> Read(LabImage image)
    {
        using var tar = RootFilesystem.Build(image, FakeBusybox);
        Assert.Equal(0, tar.Position);
        using var reader = new TarReader(tar);
        var entries = new List<Entry>();
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            byte[]? data = null;
            if (e.DataStream is { } stream)
            {
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                data = bytes.ToArray();
            }
            entries.Add(new Entry(e.Name, e.EntryType, e.Mode, e.LinkName, data, e.ModificationTime));
        }
        return entries;
    }

    [Fact]
    public void Busybox_is_an_executable_regular_file_with_the_given_bytes()
    {
        var busybox = Assert.Single(Read(LabImage.Web), e => e.Name == "bin/busybox");

        Assert.Equal(TarEntryType.RegularFile, busybox.Type);
        Assert.Equal(FakeBusybox, busybox.Data);
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), busybox.Mode);
    }

    [Fact]
    public void Every_applet_is_a_symlink_to_busybox()
    {
        var entries = Read(LabImage.Web).ToDictionary(e => e.Name);

        Assert.NotEmpty(LabImage.Web.Applets);
        foreach (var applet in LabImage.Web.Applets)
        {
            var link = entries[$"bin/{applet}"];
            Assert.Equal(TarEntryType.SymbolicLink, link.Type);
            Assert.Equal("busybox", link.LinkName);
        }
        var links = entries.Values.Where(e => e.Type == TarEntryType.SymbolicLink).Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(LabImage.Web.Applets.Select(a => $"bin/{a}").Order(StringComparer.Ordinal), links);
    }

    [Fact]
    public void Entry_names_are_unique_so_no_applet_overwrites_busybox()
    {
        var names = Read(LabImage.Toolbox).Select(e => e.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("busybox", LabImage.Toolbox.Applets);
    }

    [Fact]
    public void Tmp_is_a_sticky_world_writable_directory()
    {
        var tmp = Assert.Single(Read(LabImage.Web), e => e.Name == "tmp/");

        Assert.Equal(TarEntryType.Directory, tmp.Type);
        Assert.Equal((UnixFileMode)Convert.ToInt32("1777", 8), tmp.Mode);
    }

    [Theory]
    [InlineData("bin/")]
    [InlineData("etc/")]
    [InlineData("www/")]
    [InlineData("proc/")]
    [InlineData("dev/")]
    public void Other_directories_are_0755(string name)
    {
        var dir = Assert.Single(Read(LabImage.Web), e => e.Name == name);

        Assert.Equal(TarEntryType.Directory, dir.Type);
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), dir.Mode);
    }

    [Fact]
    public void Passwd_has_root_with_a_busybox_shell()
    {
        var passwd = Assert.Single(Read(LabImage.Web), e => e.Name == "etc/passwd");

        Assert.Equal(TarEntryType.RegularFile, passwd.Type);
        var lines = Encoding.UTF8.GetString(passwd.Data!).Split('\n');
        Assert.Equal("root:x:0:0:root:/root:/bin/sh", lines[0]);
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), passwd.Mode);
    }

    [Fact]
    public void Timestamps_are_the_epoch_so_builds_are_reproducible()
    {
        Assert.All(Read(LabImage.Web), e => Assert.Equal(DateTimeOffset.UnixEpoch, e.Modified));
    }

    [Fact]
    public void Directories_come_before_their_contents()
    {
        var names = Read(LabImage.Web).Select(e => e.Name).ToList();

        Assert.True(names.IndexOf("bin/") < names.IndexOf("bin/busybox"));
        Assert.True(names.IndexOf("bin/busybox") < names.IndexOf("bin/sh"));
        Assert.True(names.IndexOf("etc/") < names.IndexOf("etc/passwd"));
    }
}
