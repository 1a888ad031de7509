using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace DockScript;

/// <summary>
/// The fast probe path: sockets made inside the source's network namespace (see
/// <see cref="NetworkNamespace"/>). Ping goes through the namespace's shared
/// <see cref="EchoSocket"/> (else the BCL's <see cref="Ping"/>), HTTP goes through a
/// <see cref="SocketsHttpHandler.ConnectCallback"/> socket, DNS is a UDP query to the source's own
/// nameserver. Files come from <c>/proc/&lt;pid&gt;/root</c>.
/// </summary>
internal sealed class NamespaceTransport(NetworkNamespace ns) : IProbeTransport
{
    private static readonly byte[] Payload = new byte[32];

    public string Via => "namespace";

    public async Task<EchoOutcome> PingAsync(IPAddress address, int count, TimeSpan timeout, TimeSpan interval, CancellationToken ct)
    {
        var replies = new List<TimeSpan>();
        var shared = await ns.EchoSocketAsync().ConfigureAwait(false);
        using var ping = new Ping();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(interval, ct).ConfigureAwait(false);
            }
            if (shared is not null)
            {
                if (await shared.EchoAsync(address, timeout, ct).ConfigureAwait(false) is { } rtt)
                {
                    replies.Add(rtt);
                }
                continue;
            }
            var clock = Stopwatch.StartNew();
            // SendPingAsync makes its raw socket before its first await, so on the namespace's thread.
            PingReply reply;
            try
            {
                var pending = await ns.RunAsync(() => ping.SendPingAsync(address, timeout, Payload, null, ct)).ConfigureAwait(false);
                reply = await pending.ConfigureAwait(false);
            }
            catch (PingException e) when (e.InnerException is SocketException)
            {
                // No route from inside (e.g. the 'none' network): the echo never left; Diagnosis says why.
                continue;
            }
            clock.Stop();
            if (reply.Status == IPStatus.Success)
            {
                replies.Add(clock.Elapsed);
            }
        }
        return new EchoOutcome(count, replies);
    }

    public async Task<DnsReply> QueryAsync(IPAddress server, string name, TimeSpan timeout, CancellationToken ct)
    {
        using var socket = await ns.RunAsync(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var id = (ushort)Random.Shared.Next(ushort.MaxValue);
        var buffer = new byte[1500];
        try
        {
            // A connected UDP socket hears ICMP "port unreachable" as a refused receive.
            await socket.ConnectAsync(new IPEndPoint(server, 53), deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(DnsMessage.Query(id, name), deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (DnsMessage.Parse(buffer.AsSpan(0, n), id) is { } reply)
                {
                    return reply;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DnsReply(DnsStatus.Timeout, []);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            return new DnsReply(DnsStatus.Unreachable, []);
        }
    }

    public async Task<HttpExchange> GetAsync(Uri url, IPAddress address, TimeSpan timeout, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, token) =>
            {
                var socket = await ns.RunAsync(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }).ConfigureAwait(false);
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("dockscript");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var (body, cut) = await ReadCappedAsync(response.Content, deadline.Token).ConfigureAwait(false);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[key] = values.LastOrDefault() ?? "";
            }
            return new HttpExchange((int)response.StatusCode, headers, body, HttpFailure.None, null) { Truncated = cut };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(HttpFailure.Timeout, null);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException s)
        {
            return s.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => Failed(HttpFailure.Refused, s.Message),
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => Failed(HttpFailure.Unreachable, s.Message),
                SocketError.TimedOut => Failed(HttpFailure.Timeout, s.Message),
                _ => Failed(HttpFailure.Protocol, s.Message),
            };
        }
        catch (HttpRequestException e)
        {
            return Failed(HttpFailure.Protocol, e.Message);
        }
    }

    /// <summary>Reads at most <see cref="HttpResult.BodyLimit"/> bytes of the body; a server sending more is not read further.</summary>
    private static async Task<(string Body, bool Cut)> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[HttpResult.BodyLimit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        var cut = length > HttpResult.BodyLimit;
        var kept = Math.Min(length, HttpResult.BodyLimit);
        var encoding = content.Headers.ContentType?.CharSet is { Length: > 0 } charset ? EncodingOf(charset) : System.Text.Encoding.UTF8;
        return (encoding.GetString(buffer, 0, kept), cut);
    }

    private static System.Text.Encoding EncodingOf(string charset)
    {
        try
        {
            return System.Text.Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return System.Text.Encoding.UTF8;
        }
    }

    public Task<string> ReadFileAsync(string path, CancellationToken ct) =>
        ContainerRoot.ReadAllTextAsync($"/proc/{ns.Pid}/root", path, ct);

    private static HttpExchange Failed(HttpFailure failure, string? detail) =>
        new(null, new Dictionary<string, string>(), "", failure, detail);
}
