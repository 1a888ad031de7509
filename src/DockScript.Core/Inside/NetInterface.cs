namespace DockScript;

/// <summary>
/// A network interface as seen from inside a network namespace (a container's, or the host's),
/// with its addresses and traffic counters since the interface was created.
/// </summary>
/// <param name="Name">Interface name inside the namespace, e.g. <c>eth0</c>.</param>
/// <param name="MacAddress">Hardware address, or null when <c>/sys/class/net</c> was not readable or the device has none.</param>
/// <param name="Mtu">MTU in bytes, or null when unknown.</param>
/// <param name="IsUp">Operational state: true up, false down, null when unknown.</param>
/// <param name="IPv4">IPv4 addresses in CIDR form, e.g. <c>172.17.0.2/16</c>.</param>
/// <param name="IPv6">IPv6 addresses in CIDR form, e.g. <c>fe80::42:acff:fe11:2/64</c>.</param>
/// <param name="RxBytes">Bytes received.</param>
/// <param name="TxBytes">Bytes sent.</param>
/// <param name="RxPackets">Packets received.</param>
/// <param name="TxPackets">Packets sent.</param>
/// <example><code>web1.Interfaces.First(i => i.Name == "eth0").IPv4</code></example>
public sealed record NetInterface(
    string Name,
    string? MacAddress,
    int? Mtu,
    bool? IsUp,
    IReadOnlyList<string> IPv4,
    IReadOnlyList<string> IPv6,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxPackets,
    ulong TxPackets)
{
    /// <summary>
    /// One line in the spirit of <c>ip -brief addr</c>, e.g.
    /// <c>eth0  172.17.0.2/16  02:42:ac:11:00:02  mtu 1500  up  rx 1.2 KB tx 656 B</c>.
    /// Link-local IPv6 addresses are left out: every interface has one, so they only add noise.
    /// </summary>
    public override string ToString()
    {
        var parts = new List<string> { Name };
        var addresses = IPv4.Concat(IPv6.Where(a => !IsLinkLocal(a))).ToList();
        if (addresses.Count > 0)
        {
            parts.Add(string.Join(' ', addresses));
        }

        if (MacAddress is not null)
        {
            parts.Add(MacAddress);
        }

        if (Mtu is { } mtu)
        {
            parts.Add("mtu " + mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (IsUp is { } up)
        {
            parts.Add(up ? "up" : "down");
        }

        parts.Add($"rx {ByteSize.Format(RxBytes)} tx {ByteSize.Format(TxBytes)}");
        return string.Join("  ", parts);
    }

    /// <summary>Interfaces are equal when every field matches, address lists in order; record equality would compare list references.</summary>
    public bool Equals(NetInterface? other) =>
        other is not null
        && Name == other.Name
        && MacAddress == other.MacAddress
        && Mtu == other.Mtu
        && IsUp == other.IsUp
        && IPv4.SequenceEqual(other.IPv4)
        && IPv6.SequenceEqual(other.IPv6)
        && RxBytes == other.RxBytes
        && TxBytes == other.TxBytes
        && RxPackets == other.RxPackets
        && TxPackets == other.TxPackets;

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(MacAddress);
        hash.Add(Mtu);
        hash.Add(IsUp);
        foreach (var address in IPv4.Concat(IPv6))
        {
            hash.Add(address);
        }

        hash.Add(RxBytes);
        hash.Add(TxBytes);
        hash.Add(RxPackets);
        hash.Add(TxPackets);
        return hash.ToHashCode();
    }

    private static bool IsLinkLocal(string cidr)
    {
        var slash = cidr.IndexOf('/');
        var address = slash < 0 ? cidr : cidr[..slash];
        return System.Net.IPAddress.TryParse(address, out var ip) && ip.IsIPv6LinkLocal;
    }
}
