using System.Globalization;
using System.Net;

namespace DockScript;

/// <summary>
/// The capture filter: a small, documented subset of tcpdump's expressions. Words: <c>icmp</c>,
/// <c>arp</c>, <c>udp</c>, <c>tcp</c>, <c>port N</c>, <c>host ADDR</c>; joined with <c>and</c>,
/// <c>or</c>, <c>not</c> (also <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>) and parentheses.
/// <c>tcp port 80</c> and <c>udp port 53</c> are short for <c>tcp and port 80</c>. <c>not</c> binds
/// tightest, then <c>and</c>, then <c>or</c>, as in tcpdump.
/// </summary>
/// <remarks>
/// Judged on each decoded packet in user space, not compiled to BPF: a capture sees one
/// container's traffic, which is little, and one parser serves the run and the analyzer (DS0005).
/// </remarks>
internal abstract record CaptureFilter
{
    /// <summary>What the filter words are, for the sentence a bad filter gets.</summary>
    public const string Help = "use icmp, arp, udp, tcp, port N or host ADDR, joined with and, or, not and parentheses";

    /// <summary>True when <paramref name="packet"/> passes.</summary>
    public abstract bool Matches(PacketFacts packet);

    /// <summary>Parses <paramref name="text"/>; null or blank means every packet.</summary>
    /// <exception cref="DockScriptException">The text is not a filter this subset knows, in one sentence.</exception>
    public static CaptureFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new All();
        }
        var reader = new Reader(text);
        var filter = reader.Or();
        if (reader.Peek() is { } extra)
        {
            throw reader.Bad($"'{extra}' cannot follow what comes before it");
        }
        return filter;
    }

    /// <summary>Every packet.</summary>
    public sealed record All : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => true;
    }

    /// <summary>One protocol word.</summary>
    public sealed record Proto(string Name) : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => packet.Kind == Name;
    }

    /// <summary><c>port N</c>: TCP or UDP, either end.</summary>
    public sealed record Port(int Number) : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => packet.SourcePort == Number || packet.DestinationPort == Number;
    }

    /// <summary><c>host ADDR</c>: IP (or ARP) source or destination.</summary>
    public sealed record Host(IPAddress Address) : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => Address.Equals(packet.SourceAddress) || Address.Equals(packet.DestinationAddress);
    }

    public sealed record Not(CaptureFilter Inner) : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => !Inner.Matches(packet);
    }

    public sealed record And(CaptureFilter Left, CaptureFilter Right) : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => Left.Matches(packet) && Right.Matches(packet);
    }

    public sealed record Or(CaptureFilter Left, CaptureFilter Right) : CaptureFilter
    {
        public override bool Matches(PacketFacts packet) => Left.Matches(packet) || Right.Matches(packet);
    }

    /// <summary>A recursive-descent reader over the filter's words.</summary>
    private sealed class Reader(string text)
    {
        private readonly List<string> words = Split(text);
        private int at;

        public string? Peek() => at < words.Count ? words[at] : null;

        private string? Next() => at < words.Count ? words[at++] : null;

        public DockScriptException Bad(string why) => new($"'{text.Trim()}' is not a capture filter: {why}; {Help}.");

        public CaptureFilter Or()
        {
            var left = And();
            while (Peek() is "or" or "||")
            {
                Next();
                left = new Or(left, And());
            }
            return left;
        }

        private CaptureFilter And()
        {
            var left = Unary();
            while (Peek() is "and" or "&&")
            {
                Next();
                left = new And(left, Unary());
            }
            return left;
        }

        private CaptureFilter Unary()
        {
            if (Peek() is "not" or "!")
            {
                Next();
                return new Not(Unary());
            }
            return Primary();
        }

        private CaptureFilter Primary()
        {
            var word = Next() ?? throw Bad(at == 0 ? "it is empty" : $"it ends after '{words[at - 1]}', where a word is missing");
            switch (word)
            {
                case "(":
                    var inner = Or();
                    if (Next() != ")")
                    {
                        throw Bad("a '(' is not closed");
                    }
                    return inner;
                case "udp" or "tcp" when Peek() == "port":
                    // tcpdump's "tcp port 80": the protocol qualifies the port.
                    return new And(new Proto(word), Primary());
                case "icmp" or "arp" or "udp" or "tcp":
                    return new Proto(word);
                case "port":
                    var number = Next() ?? throw Bad("'port' needs a number, like port 80");
                    return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
                        ? new Port(port)
                        : throw Bad($"'{number}' is not a port (0 to 65535)");
                case "host":
                    var address = Next() ?? throw Bad("'host' needs an address, like host 172.17.0.2");
                    // Four dotted parts or a colon: IPAddress alone would accept "10.1" as 10.0.0.1.
                    return (address.Contains(':', StringComparison.Ordinal) || address.Count(c => c == '.') == 3) && IPAddress.TryParse(address, out var ip)
                        ? new Host(ip)
                        : throw Bad($"'{address}' is not an IP address (host takes addresses, not names)");
                case ")":
                    throw Bad("a ')' has no '(' before it");
                case "and" or "or" or "&&" or "||":
                    throw Bad($"'{word}' needs something on its left");
                default:
                    throw Bad($"'{word}' is not a word it knows");
            }
        }

        private static List<string> Split(string text)
        {
            var words = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is '(' or ')' or '!')
                {
                    words.Add(c.ToString());
                    i++;
                }
                else if ((c is '&' or '|') && i + 1 < text.Length && text[i + 1] == c)
                {
                    words.Add(new string(c, 2));
                    i += 2;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '!' or '&' or '|'))
                    {
                        i++;
                    }
                    if (i == start)
                    {
                        // A lone '&' or '|'.
                        i++;
                    }
                    words.Add(text[start..i].ToLowerInvariant());
                }
            }
            return words;
        }
    }
}
