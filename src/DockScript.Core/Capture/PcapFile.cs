using System.Buffers.Binary;

namespace DockScript;

/// <summary>
/// Writes frames as a classic pcap file (microsecond stamps, link type 113, <c>LINKTYPE_LINUX_SLL</c>),
/// the format tcpdump writes for <c>-i any</c> and every reader (tcpdump, Wireshark, tshark) opens.
/// </summary>
internal static class PcapFile
{
    private const uint Magic = 0xa1b2c3d4;
    private const uint LinkTypeLinuxSll = 113;

    public static async Task WriteAsync(string path, IReadOnlyList<CapturedFrame> frames, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Header(), ct).ConfigureAwait(false);
            foreach (var frame in frames)
            {
                await stream.WriteAsync(RecordHeader(frame), ct).ConfigureAwait(false);
                await stream.WriteAsync(frame.Bytes, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The 24-byte file header, little-endian as the magic says.</summary>
    public static byte[] Header()
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        // Bytes 8..15: time zone and accuracy, zero.
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), PacketSocket.SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), LinkTypeLinuxSll);
        return header;
    }

    private static byte[] RecordHeader(CapturedFrame frame)
    {
        var header = new byte[16];
        var micros = (frame.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)frame.Bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)frame.Length);
        return header;
    }
}
