using System.Globalization;
using System.Net;

namespace DockScript;

/// <summary>A TCP socket in state LISTEN, read from <c>/proc/net/tcp</c> or <c>tcp6</c>.</summary>
/// <param name="Address">The local address it is bound to: 0.0.0.0 or :: for all.</param>
/// <param name="Port">The local port.</param>
/// <param name="Line">The table's line, as evidence.</param>
internal sealed record ListeningSocket(IPAddress Address, int Port, string Line)
{
    /// <summary>True when bound to every address (0.0.0.0 or ::).</summary>
    public bool Wildcard => Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any);

    /// <summary>True when bound to a loopback address only (127.0.0.0/8, ::1, ::ffff:127.x).</summary>
    public bool Loopback => IPAddress.IsLoopback(Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address);

    /// <summary>The address as a person writes it, with the port.</summary>
    public string Endpoint => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !Address.IsIPv4MappedToIPv6
        ? $"[{Address}]:{Port}" : $"{(Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address)}:{Port}";

    /// <summary>True when a connection to <paramref name="address"/> on this port would reach this socket.</summary>
    public bool Accepts(IPAddress address) =>
        Wildcard || Address.Equals(address) || (Address.IsIPv4MappedToIPv6 && Address.MapToIPv4().Equals(address));
}

/// <summary>Reads the listening sockets out of <c>/proc/net/tcp</c> and <c>tcp6</c> tables.</summary>
internal static class ListeningSockets
{
    /// <summary>The sockets in state LISTEN (0A) of one or more tables, one after the other; unreadable lines are skipped.</summary>
    public static IReadOnlyList<ListeningSocket> Parse(string tables)
    {
        var sockets = new List<ListeningSocket>();
        foreach (var raw in tables.Split('\n'))
        {
            var fields = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != "0A" || fields[1].Split(':') is not [var hex, var portHex]
                || !int.TryParse(portHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
                || Address(hex) is not { } address)
            {
                continue;
            }
            // The local address, the remote one and the state say it all; the rest is counters.
            sockets.Add(new ListeningSocket(address, port, $"{fields[1]} {fields[2]} {fields[3]}"));
        }
        return sockets;
    }

    // The kernel prints each 32-bit word of the address in host order (little-endian here).
    private static IPAddress? Address(string hex)
    {
        if (hex.Length is not (8 or 32))
        {
            return null;
        }
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                if (!byte.TryParse(hex.AsSpan(word * 8 + (3 - b) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                {
                    return null;
                }
                bytes[word * 4 + b] = value;
            }
        }
        return new IPAddress(bytes);
    }
}
