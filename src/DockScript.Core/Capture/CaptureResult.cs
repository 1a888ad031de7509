using System.Globalization;

namespace DockScript;

/// <summary>
/// What a finished <see cref="PacketCapture"/> saw: the packets, decoded, in the order they came.
/// It is also what the session's journal keeps (<see cref="JournalEntry.Capture"/>).
/// </summary>
/// <param name="Container">The container whose namespace was captured in.</param>
/// <param name="Filter">The filter as written; null for every packet.</param>
/// <param name="Packets">The packets that passed the filter.</param>
/// <example><code>Capture(web1, "icmp").Stop().Packets.Count</code></example>
public sealed record CaptureResult(string Container, string? Filter, IReadOnlyList<CapturedPacket> Packets)
{
    /// <summary>The packets' bytes, from their network headers on.</summary>
    public long Bytes { get; init; }

    /// <summary>True when the capture stopped by itself at its packet or byte limit; <see cref="Limit"/> says which.</summary>
    public bool LimitReached { get; init; }

    /// <summary>The limit it stopped at (<c>10,000 packets</c>, <c>10 MiB</c>); null when it was stopped.</summary>
    public string? Limit { get; init; }

    /// <summary>Packets the kernel dropped because they came faster than they were read (0 normally).</summary>
    public long Dropped { get; init; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"capture in {Container}{(Filter is null ? "" : $" ({Filter})")}: {Packets.Count:N0} packet{(Packets.Count == 1 ? "" : "s")}, {ByteSize.Format((ulong)Bytes)}");
        if (LimitReached)
        {
            text += $"; stopped at its limit of {Limit}";
        }
        if (Dropped > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; the kernel dropped {Dropped:N0}");
        }
        return text;
    }
}
