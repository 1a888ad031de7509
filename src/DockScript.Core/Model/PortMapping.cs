using System.Globalization;
using System.Net;

namespace DockScript;

/// <summary>
/// A published port, as given to <c>docker run -p</c> and shown by <c>docker ps</c>.
/// </summary>
/// <param name="HostIp">Host address to bind, or null for all addresses.</param>
/// <param name="HostPort">Host port, or null to let Docker pick a free one.</param>
/// <param name="ContainerPort">Port inside the container.</param>
/// <param name="Protocol"><c>tcp</c>, <c>udp</c> or <c>sctp</c>.</param>
/// <example><code>Containers.Run("nginx", name: "x", ports: new[] { "8080:80" })</code></example>
public sealed record PortMapping(string? HostIp, int? HostPort, int ContainerPort, string Protocol)
{
    private const string Example = "write it as HOST:CONTAINER, e.g. \"8080:80\"";

    /// <summary>The container side as Docker keys it in port maps, e.g. <c>80/tcp</c>.</summary>
    public string Key => $"{ContainerPort}/{Protocol}";

    /// <summary>
    /// Parses a <c>-p</c> spec: <c>80</c>, <c>8080:80</c>, <c>8080:80/udp</c>, <c>127.0.0.1:8080:80</c>,
    /// <c>127.0.0.1::80</c> or <c>[::1]:8080:80</c>.
    /// </summary>
    /// <exception cref="FormatException">With one sentence that quotes the spec and shows the expected form.</exception>
    /// <example><code>PortMapping.Parse("127.0.0.1:8080:80/udp")</code></example>
    public static PortMapping Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = spec.Trim();
        if (text.Length == 0)
        {
            throw Fail(spec, $"is not a port mapping; {Example}");
        }

        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..].ToLowerInvariant();
            text = text[..slash];
            if (protocol is not ("tcp" or "udp" or "sctp"))
            {
                throw Fail(spec, $"has protocol '{protocol}', but only tcp, udp and sctp exist; write it like \"8080:80/udp\"");
            }
        }

        string? hostIp = null;
        if (text.StartsWith('['))
        {
            // A bracketed IPv6 address has its own colons, so take it off before splitting on ':'.
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw Fail(spec, "is not a port mapping; write an IPv6 host address as [IP]:HOST:CONTAINER, e.g. \"[::1]:8080:80\"");
            }

            hostIp = ParseHostIp(spec, text[1..close]);
            text = text[(close + 2)..];
            if (text.Split(':').Length != 2)
            {
                throw Fail(spec, "is not a port mapping; write an IPv6 host address as [IP]:HOST:CONTAINER, e.g. \"[::1]:8080:80\"");
            }
        }

        var parts = text.Split(':');
        string? hostPort;
        string containerPort;
        switch (parts.Length)
        {
            case 1:
                (hostPort, containerPort) = (null, parts[0]);
                break;
            case 2:
                (hostPort, containerPort) = (parts[0], parts[1]);
                break;
            case 3 when hostIp is null:
                hostIp = ParseHostIp(spec, parts[0]);
                (hostPort, containerPort) = (parts[1], parts[2]);
                break;
            default:
                throw Fail(spec, "is not a port mapping; put an IPv6 host address in brackets, e.g. \"[::1]:8080:80\"");
        }

        return new PortMapping(
            hostIp,
            string.IsNullOrEmpty(hostPort) ? null : ParsePort(spec, hostPort),
            ParsePort(spec, containerPort),
            protocol);
    }

    /// <summary>The <c>docker ps</c> form, e.g. <c>0.0.0.0:8080->80/tcp</c>; <c>*</c> stands for a host port Docker picks.</summary>
    public override string ToString()
    {
        var ip = HostIp switch
        {
            null => "0.0.0.0",
            var v6 when v6.Contains(':') => $"[{v6}]",
            var v4 => v4,
        };
        var port = HostPort?.ToString(CultureInfo.InvariantCulture) ?? "*";
        return $"{ip}:{port}->{Key}";
    }

    private static int ParsePort(string spec, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw Fail(spec, $"is not a port mapping; {Example}");
        }

        if (port is < 1 or > 65535)
        {
            throw Fail(spec, $"has port {port}, but ports run from 1 to 65535; {Example}");
        }

        return port;
    }

    private static string ParseHostIp(string spec, string text)
    {
        if (!IPAddress.TryParse(text, out var ip) || (!text.Contains(':') && text.Count(c => c == '.') != 3))
        {
            throw Fail(spec, $"has host address '{text}', which is not an IP address; write it as IP:HOST:CONTAINER, e.g. \"127.0.0.1:8080:80\"");
        }

        return ip.ToString();
    }

    private static FormatException Fail(string spec, string problem) => new($"'{spec}' {problem}.");
}
