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
}

/// <summary>A nameserver's reply to one A query.</summary>
internal sealed record DnsReply(DnsStatus Status, IReadOnlyList<string> Addresses);

/// <summary>
/// Just enough of RFC 1035 to ask "what is the A record of this name?" and read the answer:
/// the fast probe path sends these over UDP from inside a container's namespace.
/// </summary>
internal static class DnsMessage
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

    /// <summary>Reads a reply to <see cref="Query"/>; null when it is not a reply to query <paramref name="id"/>.</summary>
    public static DnsReply? Parse(ReadOnlySpan<byte> reply, ushort id)
    {
        if (reply.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(reply) != id)
        {
            return null;
        }
        var flags = BinaryPrimitives.ReadUInt16BigEndian(reply[2..]);
        if ((flags & 0x8000) == 0)
        {
            return null;
        }
        var rcode = flags & 0xF;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(reply[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(reply[6..]);
        switch (rcode)
        {
            case 3:
                return new DnsReply(DnsStatus.NoSuchName, []);
            case 2:
                return new DnsReply(DnsStatus.ServerFailure, []);
            case not 0:
                return new DnsReply(DnsStatus.Refused, []);
        }
        var at = 12;
        try
        {
            for (var q = 0; q < questions; q++)
            {
                at = SkipName(reply, at) + 4;
            }
            var addresses = new List<string>();
            for (var a = 0; a < answers; a++)
            {
                at = SkipName(reply, at);
                var type = BinaryPrimitives.ReadUInt16BigEndian(reply[at..]);
                var length = BinaryPrimitives.ReadUInt16BigEndian(reply[(at + 8)..]);
                at += 10;
                if (type == 1 && length == 4)
                {
                    addresses.Add(new IPAddress(reply.Slice(at, 4)).ToString());
                }
                at += length;
            }
            return new DnsReply(addresses.Count > 0 ? DnsStatus.Answer : DnsStatus.NoAddress, addresses);
        }
        catch (ArgumentOutOfRangeException)
        {
            return new DnsReply(DnsStatus.Refused, []);
        }
    }

    private static int SkipName(ReadOnlySpan<byte> message, int at)
    {
        while (true)
        {
            var length = message[at];
            if (length == 0)
            {
                return at + 1;
            }
            if ((length & 0xC0) == 0xC0)
            {
                return at + 2; // a pointer ends the name
            }
            at += length + 1;
        }
    }
}
