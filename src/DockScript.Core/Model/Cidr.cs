using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DockScript;

/// <summary>
/// Subnets in CIDR notation, as given to <c>docker network create --subnet</c>.
/// </summary>
/// <example><code>Networks.Create("backend", subnet: "10.30.0.0/24")</code></example>
public static class Cidr
{
    /// <summary>
    /// Parses a subnet such as <c>10.30.0.0/24</c> or <c>fd00:30::/64</c>. The address must be the network address,
    /// because Docker rejects a subnet with host bits set.
    /// </summary>
    /// <exception cref="FormatException">With one sentence that quotes the text and says how to fix it.</exception>
    /// <example><code>Cidr.ParseSubnet("10.30.0.0/24")</code></example>
    public static IPNetwork ParseSubnet(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();

        // IPAddress parsing accepts shorthand like "10.30/16"; Docker would not, so insist on four octets.
        // IPNetwork.TryParse quietly clears host bits (10.30.0.1/24 becomes 10.30.0.0/24), but Docker rejects
        // such a subnet, so a changed base address is an error here too.
        var slash = trimmed.IndexOf('/');
        if (slash > 0
            && IsDottedQuadOrIPv6(trimmed)
            && IPNetwork.TryParse(trimmed, out var network)
            && IPAddress.TryParse(trimmed[..slash], out var written)
            && network.BaseAddress.Equals(written))
        {
            return network;
        }

        throw new FormatException(Explain(text, trimmed));
    }

    private static string Explain(string original, string text)
    {
        var generic = $"'{original}' is not a CIDR subnet; write it like 10.30.0.0/24.";
        var slash = text.IndexOf('/');
        if (slash < 0 || !IsDottedQuadOrIPv6(text)
            || !IPAddress.TryParse(text[..slash], out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return generic;
        }

        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;
        var maxPrefix = isV4 ? 32 : 128;
        if (prefix > maxPrefix)
        {
            return $"'{original}' has prefix /{prefix}, but the prefix must be 0–{maxPrefix} for {(isV4 ? "IPv4" : "IPv6")}; write it like {(isV4 ? "10.30.0.0/24" : "fd00:30::/64")}.";
        }

        var network = new IPNetwork(Mask(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            return $"'{original}' has host bits set after the /{prefix} prefix; use the network address {network}.";
        }

        return generic;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static bool IsDottedQuadOrIPv6(string text)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        return address.Contains(':') || address.Count(c => c == '.') == 3;
    }
}
