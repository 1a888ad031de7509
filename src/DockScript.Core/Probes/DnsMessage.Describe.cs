using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace DockScript;

// A one-line description of any DNS message a capture sees (see DnsMessage.cs for the prober's half).
internal static partial class DnsMessage
{
    /// <summary>
    /// Describes a DNS message seen on the wire: <c>DNS query A nginx2</c>,
    /// <c>DNS answer nginx2 = 172.18.0.3</c>, <c>DNS answer nope: no such name</c>. Null when the
    /// bytes are not a DNS message this reader can follow; it never throws.
    /// </summary>
    public static string? Describe(ReadOnlySpan<byte> message)
    {
        if (message.Length < 12)
        {
            return null;
        }
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var at = 12;
        if (questions < 1 || ReadName(message, ref at) is not { } name || !Has(message, at, 4))
        {
            return null;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
        at += 4;
        var shown = name.Length == 0 ? "." : name;
        if ((flags & 0x8000) == 0)
        {
            return $"DNS query {TypeName(type)} {shown}";
        }
        switch (flags & 0xF)
        {
            case 3:
                return $"DNS answer {shown}: no such name";
            case 2:
                return $"DNS answer {shown}: server failure";
            case 5:
                return $"DNS answer {shown}: refused";
            case not 0:
                return $"DNS answer {shown}: error {flags & 0xF}";
        }
        for (var q = 1; q < questions; q++)
        {
            if (SkipName(message, ref at) is not null || !Has(message, at, 4))
            {
                return $"DNS answer {shown}";
            }
            at += 4;
        }
        var found = new List<string>();
        for (var a = 0; a < answers; a++)
        {
            if (SkipName(message, ref at) is not null || !Has(message, at, 10))
            {
                break;
            }
            var rtype = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            at += 10;
            if (!Has(message, at, length))
            {
                break;
            }
            if ((rtype == 1 && length == 4) || (rtype == 28 && length == 16))
            {
                found.Add(new IPAddress(message.Slice(at, length)).ToString());
            }
            at += length;
        }
        return found.Count > 0
            ? $"DNS answer {shown} = {string.Join(", ", found)}"
            : $"DNS answer {shown}: no {TypeName(type)} record";
    }

    private static string TypeName(ushort type) => type switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        _ => $"type {type}",
    };

    /// <summary>Reads the name at <paramref name="at"/> (as <see cref="SkipName"/> checks it); null when it cannot be read.</summary>
    private static string? ReadName(ReadOnlySpan<byte> message, ref int at)
    {
        var start = at;
        if (SkipName(message, ref at) is not null)
        {
            return null;
        }
        // SkipName proved the name ends, with pointers going only backwards: follow it again, collecting labels.
        var text = new StringBuilder();
        var cursor = start;
        while (message[cursor] is var length && length != 0)
        {
            if ((length & 0xC0) == 0xC0)
            {
                cursor = ((length & 0x3F) << 8) | message[cursor + 1];
                continue;
            }
            if (text.Length > 0)
            {
                text.Append('.');
            }
            foreach (var b in message.Slice(cursor + 1, length))
            {
                text.Append(b is >= 0x21 and < 0x7F ? (char)b : '?');
            }
            cursor += length + 1;
        }
        return text.ToString();
    }
}
