// Over 300 lines on purpose: one parser per /proc/net and /sys/class/net file, each small, and
// they only make sense together (an interface is joined from all of them).
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace DockScript;

/// <summary>
/// Reconstructs a network namespace's interfaces from the text of its <c>/proc/net</c> and <c>/sys/class/net</c> files.
/// This works on any image, even one without <c>ip</c> or <c>ifconfig</c>, because only <c>cat</c> is needed.
/// </summary>
/// <example><code>ProcNet.ParseInterfaces(ProcNet.ParseDump(web1.Exec(ProcNet.DumpScript).Stdout))</code></example>
internal static partial class ProcNet
{
    // The trailing echo ends a file that lacks a final newline, so the next marker always starts its own line;
    // ParseDump drops the blank line it adds otherwise. An unmatched glob stays literal and fails the -f test.
    /// <summary>
    /// A POSIX <c>sh</c> script (busybox-compatible) that prints <c>@@@ &lt;path&gt;</c> and then the content of every file
    /// <see cref="ParseInterfaces"/> reads. Missing files are skipped silently, so it never fails.
    /// </summary>
    /// <example><code>web1.Exec(new[] { "sh", "-c", ProcNet.DumpScript })</code></example>
    public const string DumpScript =
        "for f in /proc/net/dev /proc/net/fib_trie /proc/net/route /proc/net/if_inet6 "
        + "/sys/class/net/*/address /sys/class/net/*/mtu /sys/class/net/*/operstate; do "
        + "if [ -f \"$f\" ] && [ -r \"$f\" ]; then printf '@@@ %s\\n' \"$f\"; cat \"$f\" 2>/dev/null; echo; fi; "
        + "done";

    private const string Marker = "@@@ ";
    private const uint RtfGateway = 0x0002;

    /// <summary>
    /// Splits the output of <see cref="DumpScript"/> into path → content. Text before the first marker is ignored,
    /// trailing blank lines of each file are dropped, and every non-empty content ends with a newline.
    /// </summary>
    /// <example><code>var files = ProcNet.ParseDump(web1.Exec(ProcNet.DumpScript).Stdout);</code></example>
    public static IReadOnlyDictionary<string, string> ParseDump(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        string? path = null;
        var lines = new List<string>();

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                Flush();
                path = line[Marker.Length..].Trim();
                continue;
            }

            if (path is not null)
            {
                lines.Add(line);
            }
        }

        Flush();
        return files.AsReadOnly();

        void Flush()
        {
            if (path is null)
            {
                return;
            }

            while (lines.Count > 0 && lines[^1].Trim().Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            files[path] = lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
            lines.Clear();
        }
    }

    /// <summary>
    /// Builds the interface list from file contents keyed by path: <c>/proc/net/dev</c> (required; gives the names,
    /// in order, and the counters), <c>/proc/net/fib_trie</c> with <c>/proc/net/route</c> (IPv4),
    /// <c>/proc/net/if_inet6</c> (IPv6) and <c>/sys/class/net/&lt;name&gt;/{address,mtu,operstate}</c>.
    /// Keys may also be <c>/proc/&lt;pid&gt;/net/…</c>, as read from the host. Any optional file may be missing.
    /// </summary>
    /// <exception cref="ArgumentException">When <c>/proc/net/dev</c> is not among the files.</exception>
    /// <example><code>var interfaces = ProcNet.ParseInterfaces(files);</code></example>
    public static IReadOnlyList<NetInterface> ParseInterfaces(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in files)
        {
            byPath[ProcPidNet().Replace(key.Trim(), "/proc/net/")] = value ?? "";
        }

        if (!byPath.TryGetValue("/proc/net/dev", out var dev))
        {
            throw new ArgumentException(
                "The files do not include /proc/net/dev, which lists the interfaces; read it too (ProcNet.DumpScript prints it).",
                nameof(files));
        }

        var counters = ParseDev(dev);
        var ipv4 = ParseIPv4(byPath.GetValueOrDefault("/proc/net/fib_trie", ""), byPath.GetValueOrDefault("/proc/net/route", ""));
        var ipv6 = ParseIfInet6(byPath.GetValueOrDefault("/proc/net/if_inet6", ""));

        return counters
            .Select(c => new NetInterface(
                c.Name,
                ReadMac(byPath, c.Name),
                ReadMtu(byPath, c.Name),
                ReadIsUp(byPath, c.Name),
                ipv4.TryGetValue(c.Name, out var v4) ? v4.AsReadOnly() : [],
                ipv6.TryGetValue(c.Name, out var v6) ? v6.AsReadOnly() : [],
                c.RxBytes,
                c.TxBytes,
                c.RxPackets,
                c.TxPackets))
            .ToList()
            .AsReadOnly();
    }

    private sealed record DevCounters(string Name, ulong RxBytes, ulong RxPackets, ulong TxBytes, ulong TxPackets);

    private sealed record Route(string Interface, uint Destination, uint Mask, int PrefixLength);

    private static List<DevCounters> ParseDev(string text)
    {
        var result = new List<DevCounters>();
        foreach (var line in text.Split('\n'))
        {
            // Interface names cannot contain ':', and large counters can touch the colon ("eth0:123"),
            // so split on the colon rather than on whitespace.
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var fields = line[(colon + 1)..].Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (name.Length == 0 || fields.Length < 10
                || !ulong.TryParse(fields[0], CultureInfo.InvariantCulture, out var rxBytes)
                || !ulong.TryParse(fields[1], CultureInfo.InvariantCulture, out var rxPackets)
                || !ulong.TryParse(fields[8], CultureInfo.InvariantCulture, out var txBytes)
                || !ulong.TryParse(fields[9], CultureInfo.InvariantCulture, out var txPackets))
            {
                continue;
            }

            result.Add(new DevCounters(name, rxBytes, rxPackets, txBytes, txPackets));
        }

        return result;
    }

    private static Dictionary<string, List<string>> ParseIPv4(string fibTrie, string routeText)
    {
        var routes = ParseRoutes(routeText);
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        foreach (var address in LocalAddresses(fibTrie))
        {
            string? device;
            int prefix;
            if (address >> 24 == 127)
            {
                // Loopback has no entry in the main route table; the whole 127/8 is local to lo.
                (device, prefix) = ("lo", 8);
            }
            else
            {
                // The connected route of the address's subnet names its device; gateway routes (the default route)
                // cover every address and say nothing about where it is assigned.
                var route = routes
                    .Where(r => (address & r.Mask) == r.Destination)
                    .OrderByDescending(r => r.PrefixLength)
                    .FirstOrDefault();
                if (route is null)
                {
                    continue;
                }

                (device, prefix) = (route.Interface, route.PrefixLength);
            }

            if (!result.TryGetValue(device, out var list))
            {
                result[device] = list = [];
            }

            var cidr = FormatIPv4(address) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
            if (!list.Contains(cidr))
            {
                list.Add(cidr);
            }
        }

        return result;
    }

    private static List<uint> LocalAddresses(string fibTrie)
    {
        // Leaves look like "|-- 172.17.0.2" followed by one line per alias, e.g. "/32 host LOCAL".
        // Only /32 LOCAL aliases are addresses of this namespace: 127.0.0.0 shows as "/8 host LOCAL",
        // and the subnet and broadcast leaves are UNICAST and BROADCAST.
        var result = new List<uint>();
        uint? leaf = null;
        foreach (var rawLine in fibTrie.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("|--", StringComparison.Ordinal))
            {
                leaf = IPAddress.TryParse(line[3..].Trim(), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    ? BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes())
                    : null;
                continue;
            }

            if (line.StartsWith("+--", StringComparison.Ordinal) || line.EndsWith(':'))
            {
                leaf = null;
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (leaf is { } address && fields.Length >= 3 && fields[0] == "/32" && fields[2] == "LOCAL" && !result.Contains(address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static List<Route> ParseRoutes(string text)
    {
        var routes = new List<Route>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8
                || !TryParseHexIPv4(fields[1], out var destination)
                || !uint.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
                || !TryParseHexIPv4(fields[7], out var mask)
                || (flags & RtfGateway) != 0
                || fields[0] == "*")
            {
                continue;
            }

            routes.Add(new Route(fields[0], destination & mask, mask, System.Numerics.BitOperations.PopCount(mask)));
        }

        return routes;
    }

    // /proc/net/route prints each __be32 as a native u32 in hex, so on little-endian kernels (x86, arm64)
    // 172.17.0.0 appears as 000011AC.
    private static bool TryParseHexIPv4(string hex, out uint address)
    {
        address = 0;
        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var raw))
        {
            return false;
        }

        address = BinaryPrimitives.ReverseEndianness(raw);
        return true;
    }

    private static string FormatIPv4(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    private static Dictionary<string, List<string>> ParseIfInet6(string text)
    {
        // Each line: 32 hex digits of address, ifindex, prefix length, scope, flags (all hex), then the device name.
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[0].Length != 32
                || !int.TryParse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var prefix)
                || prefix > 128)
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromHexString(fields[0]);
            }
            catch (FormatException)
            {
                continue;
            }

            var cidr = new IPAddress(bytes) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
            var device = fields[5];
            if (!result.TryGetValue(device, out var list))
            {
                result[device] = list = [];
            }

            if (!list.Contains(cidr))
            {
                list.Add(cidr);
            }
        }

        return result;
    }

    private static string? ReadSys(Dictionary<string, string> files, string device, string attribute) =>
        files.TryGetValue($"/sys/class/net/{device}/{attribute}", out var value) && value.Trim().Length > 0
            ? value.Trim()
            : null;

    private static string? ReadMac(Dictionary<string, string> files, string device) => ReadSys(files, device, "address");

    private static int? ReadMtu(Dictionary<string, string> files, string device) =>
        int.TryParse(ReadSys(files, device, "mtu"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mtu) ? mtu : null;

    private static bool? ReadIsUp(Dictionary<string, string> files, string device) =>
        ReadSys(files, device, "operstate") switch
        {
            "up" => true,
            "down" or "lowerlayerdown" or "notpresent" => false,
            // Loopback has no carrier to detect, so the kernel reports "unknown" even while it works.
            "unknown" when device == "lo" => true,
            _ => null,
        };

    [GeneratedRegex(@"^/proc/(\d+|self|thread-self)/net/")]
    private static partial Regex ProcPidNet();

    /// <summary>
    /// True when a <c>/proc/net/tcp</c> or <c>tcp6</c> table (or both, one after the other) has a
    /// socket listening (state <c>0A</c>) on <paramref name="port"/>, on any local address.
    /// </summary>
    public static bool Listens(string table, int port)
    {
        var hexPort = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in table.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[1].EndsWith(hexPort, StringComparison.Ordinal) && fields[3] == "0A")
            {
                return true;
            }
        }
        return false;
    }
}
