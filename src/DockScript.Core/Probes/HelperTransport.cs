using System.Globalization;
using System.Net;

namespace DockScript;

/// <summary>
/// The portable probe path: busybox tools run in a toolbox helper container started with
/// <c>--network container:&lt;source&gt;</c>, so it shares the source's namespace, <c>/etc/hosts</c>
/// and resolv.conf whatever the source's image holds. One helper serves every probe from its
/// source, through a shell it keeps open (<see cref="HelperShell"/>).
/// </summary>
internal sealed class HelperTransport(Container helper, HelperShell shell, Container source) : IProbeTransport, IDisposable
{
    /// <summary>Time allowed beyond a tool's own limit for its answer to come back through the helper's shell.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    public string Via => "helper";

    public Container Helper => helper;

    public bool Alive => shell.Alive;

    /// <summary>Runs a tool in the helper; its output, or null when it did not answer within <paramref name="budget"/>.</summary>
    public async Task<string?> RunAsync(IReadOnlyList<string> argv, TimeSpan budget, CancellationToken ct) =>
        (await shell.RunAsync(argv, budget, ct).ConfigureAwait(false))?.Output;

    public void Dispose() => shell.Dispose();

    public async Task<EchoOutcome> PingAsync(IPAddress address, int count, TimeSpan timeout, TimeSpan interval, CancellationToken ct)
    {
        var wait = (int)Math.Ceiling(Math.Max(timeout.TotalSeconds, 0.001));
        string[] argv =
        [
            "ping", "-c", Num(count), "-i", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-W", Num(wait), "-w", Num((int)Math.Ceiling((count - 1) * interval.TotalSeconds + timeout.TotalSeconds)), address.ToString(),
        ];
        // busybox counts its timeouts in whole seconds: hold it to the exact deadline from here.
        var budget = TimeSpan.FromTicks(interval.Ticks * (count - 1)) + timeout;
        // The margin covers the answer's trip back (base64, the writer loop) on a busy host; ping's own -w ends it first.
        var result = await shell.RunAsync(argv, budget + Margin, ct).ConfigureAwait(false);
        return result is { } done
            ? ProbeOutput.ParsePing(done.Output, count)
            : new EchoOutcome(count, []);
    }

    public async Task<DnsReply> QueryAsync(IPAddress server, string name, TimeSpan timeout, CancellationToken ct)
    {
        // The trailing dot stops nslookup from trying search domains: the name is asked as typed.
        var result = await shell.RunAsync(["nslookup", "-type=a", name.TrimEnd('.') + ".", server.ToString()], timeout, ct).ConfigureAwait(false);
        if (result is not { } done)
        {
            return new DnsReply(DnsStatus.Timeout, []);
        }
        var output = done.Output;
        return output.Contains("refused", StringComparison.OrdinalIgnoreCase) && !output.Contains("REFUSED", StringComparison.Ordinal)
            ? new DnsReply(DnsStatus.Unreachable, [])
            : ProbeOutput.ParseNslookup(output);
    }

    public async Task<HttpExchange> GetAsync(Uri url, IPAddress address, TimeSpan timeout, CancellationToken ct)
    {
        const string script =
            "set -o pipefail; printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nUser-Agent: dockscript\\r\\nConnection: close\\r\\n\\r\\n' \"$1\" \"$2\" | nc -w \"$5\" \"$3\" \"$4\" | head -c \"$6\"";
        var host = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
        var seconds = Num((int)Math.Ceiling(Math.Max(timeout.TotalSeconds, 0.001)));
        // The body is cut at the limit (the headers get 64 KiB on top); ParseHttp says when it was.
        var result = await shell.RunAsync(["sh", "-c", script, "sh", url.PathAndQuery, host, address.ToString(), Num(url.Port), seconds, Num(HttpResult.BodyLimit + 65536 + 1)], timeout + Margin, ct).ConfigureAwait(false);
        if (result is not { } done)
        {
            return Failed(HttpFailure.Timeout, null);
        }
        if (done.Output.StartsWith("HTTP/", StringComparison.Ordinal) || (done.Code == 0 && done.Output.Length > 0))
        {
            return ProbeOutput.ParseHttp(done.Output);
        }
        var error = done.Output.Trim();
        return error switch
        {
            _ when error.Contains("refused", StringComparison.OrdinalIgnoreCase) => Failed(HttpFailure.Refused, error),
            _ when error.Contains("unreachable", StringComparison.OrdinalIgnoreCase) || error.Contains("No route", StringComparison.OrdinalIgnoreCase)
                => Failed(HttpFailure.Unreachable, error),
            _ when error.Contains("timed out", StringComparison.OrdinalIgnoreCase) || done.Code is 143 or 124 || error.Length == 0
                => Failed(HttpFailure.Timeout, error),
            _ => Failed(HttpFailure.Protocol, error),
        };
    }

    public async Task<string> ReadFileAsync(string path, CancellationToken ct)
    {
        // The helper shares the source's /etc/hosts and resolv.conf: cat is far quicker than the archive API.
        if (await shell.RunAsync(["cat", path], TimeSpan.FromSeconds(5), ct).ConfigureAwait(false) is { Code: 0 } done)
        {
            return done.Output;
        }
        return await source.ReadFileAsync(path, ct).ConfigureAwait(false);
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static HttpExchange Failed(HttpFailure failure, string? detail) =>
        new(null, new Dictionary<string, string>(), "", failure, detail);
}
