using System.Buffers.Binary;

namespace DockScript.Tests;

public class StaticBusyboxTests
{
    private const uint PtLoad = 1;
    private const uint PtInterp = 3;
    private const uint PtNote = 4;

    /// <summary>A minimal ELF64 little-endian header followed by program headers of the given types.</summary>
    private static byte[] Elf(byte elfClass, byte dataEncoding, params uint[] programHeaderTypes)
    {
        const int headerSize = 64;
        const int entrySize = 56;
        var elf = new byte[headerSize + entrySize * programHeaderTypes.Length];
        elf[0] = 0x7F;
        elf[1] = (byte)'E';
        elf[2] = (byte)'L';
        elf[3] = (byte)'F';
        elf[4] = elfClass;
        elf[5] = dataEncoding;
        elf[6] = 1; // EI_VERSION
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x10), 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x12), 0x3E); // x86-64
        BinaryPrimitives.WriteInt64LittleEndian(elf.AsSpan(0x20), headerSize); // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x34), headerSize); // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x36), entrySize); // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x38), (ushort)programHeaderTypes.Length); // e_phnum
        for (var i = 0; i < programHeaderTypes.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(headerSize + i * entrySize), programHeaderTypes[i]);
        }
        return elf;
    }

    [Fact]
    public void This_machines_busybox_is_static()
    {
        Assert.True(File.Exists("/bin/busybox"), "the test machine has /bin/busybox");

        Assert.True(StaticBusybox.IsStaticElf(File.ReadAllBytes("/bin/busybox")));
    }

    [Fact]
    public void Dynamically_linked_ls_is_not_static()
    {
        Assert.False(StaticBusybox.IsStaticElf(File.ReadAllBytes("/bin/ls")));
    }

    [Fact]
    public void Synthetic_header_without_interpreter_is_static()
    {
        Assert.True(StaticBusybox.IsStaticElf(Elf(2, 1, PtLoad, PtNote, PtLoad)));
    }

    [Fact]
    public void Synthetic_header_with_interpreter_is_dynamic()
    {
        Assert.False(StaticBusybox.IsStaticElf(Elf(2, 1, PtLoad, PtNote, PtInterp)));
    }

    [Fact]
    public void Thirty_two_bit_header_is_refused()
    {
        Assert.False(StaticBusybox.IsStaticElf(Elf(1, 1, PtLoad)));
    }

    [Fact]
    public void Big_endian_header_is_refused()
    {
        Assert.False(StaticBusybox.IsStaticElf(Elf(2, 2, PtLoad)));
    }

    [Fact]
    public void Short_buffer_is_refused()
    {
        Assert.False(StaticBusybox.IsStaticElf(Elf(2, 1, PtLoad).AsSpan(0, 63)));
        Assert.False(StaticBusybox.IsStaticElf(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Non_elf_bytes_are_refused()
    {
        var text = System.Text.Encoding.ASCII.GetBytes("#!/bin/sh\necho this is a shell script, not an ELF binary at all\n");
        Assert.True(text.Length >= 64);

        Assert.False(StaticBusybox.IsStaticElf(text));
    }

    [Fact]
    public void Program_headers_past_the_end_are_refused()
    {
        var elf = Elf(2, 1, PtLoad, PtLoad);
        var truncated = elf.AsSpan(0, elf.Length - 56); // the header still announces two entries

        Assert.False(StaticBusybox.IsStaticElf(truncated));
    }
}
