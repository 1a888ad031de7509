using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace DockScript;

/// <summary>How a nameserver answered one query.</summary>
internal enum DnsStatus
{
    /// <summary>One or more A records.</summary>
    Answer,

    /// <summary>The server says the name does not exist (NXDOMAIN).</summary>
    NoSuchName,

    /// <summary>The name exists but has no IPv4 address.</summary>
    NoAddress,

    /// <summary>The server failed (SERVFAIL), e.g. its own upstream gave no answer.</summary>
    ServerFailure,

    /// <summary>The server refused the query (REFUSED) or sent something unreadable.</summary>
    Refused,

    /// <summary>Nothing listens at the server's address (ICMP port unreachable).</summary>
    Unreachable,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>A reply came that cannot be read (cut short, a looping name, counts larger than its data).</summary>
    Malformed,
}

/// <summary>A nameserver's reply to one A query; <paramref name="Detail"/> says what was wrong with a malformed one.</summary>
internal sealed record DnsReply(DnsStatus Status, IReadOnlyList<string> Addresses, string? Detail = null);

/// <summary>
/// Just enough of RFC 1035 to ask "what is the A record of this name?" and read the answer:
/// the fast probe path sends these over UDP from inside a container's namespace.
/// </summary>
internal static partial class DnsMessage
{
    /// <summary>An A/IN query for <paramref name="name"/>, recursion desired.</summary>
    public static byte[] Query(ushort id, string name)
    {
        var bytes = new List<byte>(32 + name.Length);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // RD
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);      // QDCOUNT
        bytes.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var raw = Encoding.ASCII.GetBytes(label);
            if (raw.Length is 0 or > 63)
            {
                throw new ArgumentException($"'{name}' is not a valid DNS name: each label must be 1 to 63 characters.", nameof(name));
            }
            bytes.Add((byte)raw.Length);
            bytes.AddRange(raw);
        }
        bytes.Add(0);
        bytes.AddRange([0, 1, 0, 1]); // QTYPE A, QCLASS IN
        return bytes.ToArray();
    }

    /// <summary>
    /// Reads a reply to <see cref="Query"/>; null when it is not a reply to query <paramref name="id"/>.
    /// A reply that cannot be read (cut short, looping, counts larger than its data) is
    /// <see cref="DnsStatus.Malformed"/> with the reason in <see cref="DnsReply.Detail"/>; it never throws.
    /// </summary>
    public static DnsReply? Parse(ReadOnlySpan<byte> reply, ushort id)
    {
        // The socket is connected to the server, so anything arriving is its answer, even one too short to carry our id.
        if (reply.Length < 12)
        {
            return reply.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(reply) != id
                ? null
                : Malformed($"{reply.Length} bytes, shorter than a DNS header (12)");
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(reply) != id)
        {
            return null;
        }
        var flags = BinaryPrimitives.ReadUInt16BigEndian(reply[2..]);
        if ((flags & 0x8000) == 0)
        {
            return null;
        }
        switch (flags & 0xF)
        {
            case 3:
                return new DnsReply(DnsStatus.NoSuchName, []);
            case 2:
                return new DnsReply(DnsStatus.ServerFailure, []);
            case not 0:
                return new DnsReply(DnsStatus.Refused, []);
        }
        var questions = BinaryPrimitives.ReadUInt16BigEndian(reply[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(reply[6..]);
        var at = 12;
        for (var q = 0; q < questions; q++)
        {
            if (SkipName(reply, ref at) is { } bad)
            {
                return Malformed($"question {q + 1} of {questions}: {bad}");
            }
            if (!Has(reply, at, 4))
            {
                return Malformed($"question {q + 1} of {questions} is cut short at byte {reply.Length}");
            }
            at += 4;
        }
        var addresses = new List<string>();
        for (var a = 0; a < answers; a++)
        {
            if (SkipName(reply, ref at) is { } bad)
            {
                return Malformed($"answer {a + 1} of {answers}: {bad}");
            }
            if (!Has(reply, at, 10))
            {
                return Malformed($"answer {a + 1} of {answers} is cut short at byte {reply.Length}");
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(reply[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(reply[(at + 8)..]);
            at += 10;
            if (!Has(reply, at, length))
            {
                return Malformed($"answer {a + 1} of {answers} claims {length} bytes of data, but only {reply.Length - at} remain");
            }
            if (type == 1 && length == 4)
            {
                addresses.Add(new IPAddress(reply.Slice(at, 4)).ToString());
            }
            at += length;
        }
        return new DnsReply(addresses.Count > 0 ? DnsStatus.Answer : DnsStatus.NoAddress, addresses);
    }

    private static DnsReply Malformed(string detail) => new(DnsStatus.Malformed, [], detail);

    private static bool Has(ReadOnlySpan<byte> message, int at, int count) => at >= 0 && count >= 0 && message.Length - at >= count;

    /// <summary>
    /// Moves <paramref name="at"/> past the name that starts there; returns why it cannot be read,
    /// or null. Compression pointers are followed (to prove the name ends) only backwards, so a
    /// loop cannot run forever, and a name may not outgrow RFC 1035's 255 bytes.
    /// </summary>
    private static string? SkipName(ReadOnlySpan<byte> message, ref int at)
    {
        var cursor = at;
        var end = -1;          // where the name ends in the record, once a pointer is taken
        var lowest = cursor;   // a pointer must go before every place this name has visited
        var total = 0;
        while (true)
        {
            if (!Has(message, cursor, 1))
            {
                return $"a name is cut short at byte {message.Length}";
            }
            var length = message[cursor];
            if ((length & 0xC0) == 0xC0)
            {
                if (!Has(message, cursor, 2))
                {
                    return $"a compression pointer is cut short at byte {message.Length}";
                }
                var target = ((length & 0x3F) << 8) | message[cursor + 1];
                if (target >= lowest)
                {
                    return $"a compression pointer at byte {cursor} points forward or to itself ({target}), which could loop";
                }
                if (end < 0)
                {
                    end = cursor + 2;
                }
                lowest = target;
                cursor = target;
                continue;
            }
            if ((length & 0xC0) != 0)
            {
                return $"a label at byte {cursor} has the reserved type 0x{length & 0xC0:X2}";
            }
            total += length + 1;
            if (total > 255)
            {
                return "a name is longer than 255 bytes";
            }
            if (length == 0)
            {
                at = end >= 0 ? end : cursor + 1;
                return null;
            }
            if (!Has(message, cursor + 1, length))
            {
                return $"a {length}-byte label at byte {cursor} is cut short at byte {message.Length}";
            }
            cursor += length + 1;
        }
    }
}
