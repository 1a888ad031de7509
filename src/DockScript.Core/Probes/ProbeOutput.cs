using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DockScript;

/// <summary>The echoes of one ping run: how many were sent and the round trip of each reply.</summary>
internal sealed record EchoOutcome(int Sent, IReadOnlyList<TimeSpan> Replies);

/// <summary>One HTTP exchange as the transport saw it, before any diagnosis.</summary>
internal sealed record HttpExchange(int? Status, IReadOnlyDictionary<string, string> Headers, string Body, HttpFailure Failure, string? Detail)
{
    /// <summary>True when the body was cut at <see cref="HttpResult.BodyLimit"/>.</summary>
    public bool Truncated { get; init; }
}

/// <summary>
/// Readers for what busybox's <c>ping</c>, <c>nslookup</c> and <c>nc</c> print in the toolbox
/// helper: the portable probe path turns their text into the same facts the fast path measures.
/// </summary>
internal static partial class ProbeOutput
{
    /// <summary>Reads <c>ping</c> output: "N packets transmitted" and each "time=… ms".</summary>
    public static EchoOutcome ParsePing(string stdout, int requested)
    {
        // A line that is not a number busybox would print (cut, garbled, absurdly large) is no reply.
        var replies = new List<TimeSpan>();
        foreach (Match m in TimeRegex().Matches(stdout))
        {
            if (double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms < TimeSpan.MaxValue.TotalMilliseconds / 2)
            {
                replies.Add(TimeSpan.FromMilliseconds(ms));
            }
        }
        var sent = SentRegex().Match(stdout) is { Success: true } s && int.TryParse(s.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : requested;
        return new EchoOutcome(Math.Max(sent, replies.Count), replies);
    }

    /// <summary>Reads <c>nslookup -type=a NAME SERVER</c> output.</summary>
    public static DnsReply ParseNslookup(string stdout)
    {
        if (stdout.Contains("NXDOMAIN", StringComparison.Ordinal))
        {
            return new DnsReply(DnsStatus.NoSuchName, []);
        }
        if (stdout.Contains("SERVFAIL", StringComparison.Ordinal))
        {
            return new DnsReply(DnsStatus.ServerFailure, []);
        }
        if (stdout.Contains("REFUSED", StringComparison.Ordinal))
        {
            return new DnsReply(DnsStatus.Refused, []);
        }
        if (stdout.Contains("timed out", StringComparison.Ordinal) || stdout.Contains("no servers could be reached", StringComparison.Ordinal))
        {
            return new DnsReply(DnsStatus.Timeout, []);
        }
        // The answer section follows the server's own "Address:" line: take addresses after a "Name:".
        var addresses = new List<string>();
        var inAnswer = false;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Name:", StringComparison.Ordinal))
            {
                inAnswer = true;
            }
            else if (inAnswer && line.StartsWith("Address:", StringComparison.Ordinal)
                     && System.Net.IPAddress.TryParse(line["Address:".Length..].Trim(), out var ip)
                     && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                addresses.Add(ip.ToString());
            }
        }
        return new DnsReply(addresses.Count > 0 ? DnsStatus.Answer : DnsStatus.NoAddress, addresses);
    }

    /// <summary>
    /// Reads a raw HTTP/1.x response (status line, headers, body). Header lines may end in a bare
    /// LF, as clients tolerate: busybox httpd passes a CGI script's own <c>\n</c> headers on as they are.
    /// </summary>
    public static HttpExchange ParseHttp(string raw)
    {
        var lines = new List<string>();
        var body = "";
        for (var at = 0; at < raw.Length;)
        {
            var end = raw.IndexOf('\n', at);
            var line = (end < 0 ? raw[at..] : raw[at..end]).TrimEnd('\r');
            at = end < 0 ? raw.Length : end + 1;
            if (line.Length == 0 && lines.Count > 0)
            {
                body = raw[at..];
                break;
            }
            lines.Add(line);
        }
        if (lines.Count == 0)
        {
            lines.Add("");
        }
        var status = StatusRegex().Match(lines[0]);
        if (!status.Success)
        {
            return new HttpExchange(null, new Dictionary<string, string>(), raw, HttpFailure.Protocol,
                raw.Length == 0 ? "the connection closed without a response" : "the answer is not HTTP");
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        var (kept, cut) = Cap(body);
        return new HttpExchange(int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture), headers, kept, HttpFailure.None, null) { Truncated = cut };
    }

    /// <summary>The first <see cref="HttpResult.BodyLimit"/> bytes of a body (as UTF-8), and whether it was longer.</summary>
    public static (string Body, bool Cut) Cap(string body)
    {
        // Cheap test first: a body of at most limit/3 characters is at most the limit in UTF-8.
        if (body.Length <= HttpResult.BodyLimit / 3 || Encoding.UTF8.GetByteCount(body) <= HttpResult.BodyLimit)
        {
            return (body, false);
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        return (Encoding.UTF8.GetString(bytes, 0, HttpResult.BodyLimit), true);
    }

    [GeneratedRegex(@"time=([0-9.]+) ms")]
    private static partial Regex TimeRegex();

    [GeneratedRegex(@"([0-9]+) packets transmitted")]
    private static partial Regex SentRegex();

    [GeneratedRegex(@"^HTTP/[0-9](?:\.[0-9])? ([0-9]{3})")]
    private static partial Regex StatusRegex();
}
