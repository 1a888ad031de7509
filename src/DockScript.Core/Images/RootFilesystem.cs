using System.Formats.Tar;
using System.Text;

namespace DockScript;

/// <summary>
/// Lays out a minimal root filesystem around one static busybox binary, as a tar stream that
/// the engine can import as an image.
/// </summary>
internal static class RootFilesystem
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(0);

    /// <summary>Writes the tar for <paramref name="image"/> around <paramref name="busybox"/>.</summary>
    public static MemoryStream Build(LabImage image, byte[] busybox)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin", "etc", "www", "root", "proc", "sys", "dev", "var", "run" })
            {
                Directory(writer, dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                       | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                       | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            Directory(writer, "tmp", (UnixFileMode)0b1_111_111_111); // 1777: sticky, world-writable

            File(writer, "bin/busybox", busybox, Executable);
            foreach (var applet in image.Applets)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox", ModificationTime = Epoch });
            }
            File(writer, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
            File(writer, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
            File(writer, "www/index.html", "dockscript\n");
        }
        tar.Position = 0;
        return tar;
    }

    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static void Directory(TarWriter writer, string path, UnixFileMode mode) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path + "/") { Mode = mode, ModificationTime = Epoch });

    private static void File(TarWriter writer, string path, string text) =>
        File(writer, path, Encoding.UTF8.GetBytes(text),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    private static void File(TarWriter writer, string path, byte[] content, UnixFileMode mode) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            Mode = mode,
            ModificationTime = Epoch,
            DataStream = new MemoryStream(content, writable: false),
        });
}
