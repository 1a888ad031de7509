using System.Diagnostics;
using System.Net;

namespace DockScript;

// Curl and Masquerade, which is a Curl to the outside server (see Probes.cs for the class).
public sealed partial class Probes
{
    // ───────────── Curl ─────────────

    /// <summary>GETs <paramref name="url"/> (http://) from inside <paramref name="from"/>, resolving its host as <paramref name="from"/> would.</summary>
    public async Task<HttpResult> CurlAsync(Container from, string url, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(1, timeout, "Curl");
        var uri = ParseUrl(url);
        if (OnOtherEngine(from))
        {
            var there = await ExplainAcrossAsync(await from.Lab.Probes.CurlAsync(from, url, timeout, ct).ConfigureAwait(false) with { Source = Qualified(from) }, from, uri, ct).ConfigureAwait(false);
            Record(new JournalEntry.Curl(there));
            return there;
        }
        Watch.Ensure();
        var limit = timeout ?? DefaultHttpTimeout;
        var src = await cache.ViewAsync(from, fresh: false, ct).ConfigureAwait(false);
        HttpResult result;
        if (Diagnosis.SourceProblem(src) is { } cannot)
        {
            result = new HttpResult(src.Name, url, null, null, "", Empty, TimeSpan.Zero, HttpFailure.Source, cannot.Text, ViaName) { Cause = cannot.Cause };
        }
        else
        {
            result = await ExplainAcrossAsync(await CurlCoreAsync(from, src, url, uri, limit, ct).ConfigureAwait(false), from, uri, ct).ConfigureAwait(false);
        }
        Record(new JournalEntry.Curl(result));
        return result;
    }

    // ───────────── Masquerade ─────────────

    /// <inheritdoc cref="MasqueradeAsync(Container, TimeSpan?, CancellationToken)"/>
    public MasqueradeResult Masquerade(Container from, TimeSpan? timeout = null) =>
        Ambient.Wait(ct => MasqueradeAsync(from, timeout, ct));

    /// <summary>
    /// Calls a server outside Docker's networks from inside <paramref name="from"/> and says which
    /// address the request arrived from: the host's when <paramref name="from"/>'s network
    /// masquerades (seed S7), its own when it does not. The first call starts that server: a
    /// container on no Docker network, joined to the engine's host by a veth pair of its own in
    /// 198.18.0.0/15 (see <c>Outside</c>). No packet leaves the machine.
    /// </summary>
    public async Task<MasqueradeResult> MasqueradeAsync(Container from, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(1, timeout, "Masquerade");
        var src = await cache.ViewAsync(from, fresh: false, ct).ConfigureAwait(false);
        var own = Readable.Map(src.Networks.Where(kv => kv.Value.Address is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value.Address!, StringComparer.Ordinal));
        MasqueradeResult result;
        if (Diagnosis.SourceProblem(src) is { } cannot)
        {
            result = new MasqueradeResult(src.Name, own, null, "", cannot.Text, ViaName) { Cause = cannot.Cause };
        }
        else
        {
            var world = await Pool.OutsideAsync(ct).ConfigureAwait(false);
            var http = await CurlCoreAsync(from, src, world.Url, new Uri(world.Url), timeout ?? DefaultHttpTimeout, ct).ConfigureAwait(false);
            var seen = http.StatusCode == 200 ? Outside.CallerFrom(http.Body) : null;
            result = new MasqueradeResult(src.Name, own, seen, world.HostAddress,
                seen is not null ? null : http.Reason ?? $"the outside server answered {http.StatusCode}.", http.Via)
            {
                Cause = seen is not null ? ProbeCause.None : http.Cause == ProbeCause.None ? ProbeCause.NoAnswer : http.Cause,
                OnHostNetwork = src.OnHost,
            };
        }
        Record(new JournalEntry.Masquerade(result));
        return result;
    }

    private async Task<HttpResult> CurlCoreAsync(Container from, ContainerView src, string url, Uri uri, TimeSpan timeout, CancellationToken ct)
    {
        var result = await CurlOnceAsync(from, src, url, uri, timeout, ct).ConfigureAwait(false);
        if (result.StatusCode is null && result.Failure != HttpFailure.Dns)
        {
            // A source restarted within the cache's second has a new namespace: try that one.
            var srcNow = await cache.ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
            if (srcNow.Started != src.Started && srcNow.Running)
            {
                return await CurlOnceAsync(from, srcNow, url, uri, timeout, ct).ConfigureAwait(false);
            }
        }
        return result;
    }

    private async Task<HttpResult> CurlOnceAsync(Container from, ContainerView src, string url, Uri uri, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var transport = await Pool.TransportAsync(from, ct).ConfigureAwait(false);
        var host = uri.IdnHost;
        var (address, dst, fromHosts, problem) = await targets.AddressAsync(src, host, null, transport, fresh: false, Shorter(timeout, DefaultDnsTimeout), ct).ConfigureAwait(false);
        if (address is null)
        {
            return new HttpResult(src.Name, url, null, null, "", Empty, clock.Elapsed, HttpFailure.Dns, problem?.Text, transport.Via) { Cause = problem?.Cause ?? ProbeCause.UnknownName };
        }
        var exchange = await transport.GetAsync(uri, address, timeout, ct).ConfigureAwait(false);
        clock.Stop();
        if (exchange.Status is { } status)
        {
            string? reason = status >= 400 ? $"the server at {address} answered {status}{Phrase(status)}." : null;
            return new HttpResult(src.Name, url, address.ToString(), status, exchange.Body, exchange.Headers, clock.Elapsed, HttpFailure.None, reason, transport.Via)
            {
                Cause = status >= 400 ? ProbeCause.HttpError : ProbeCause.None,
                Truncated = exchange.Truncated,
            };
        }
        var view = await cache.SnapshotAsync(ct).ConfigureAwait(false);
        var srcNow = await cache.ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
        var owner = dst ?? view.Owner(address.ToString());
        var label = owner is null ? address.ToString() : $"{owner.Name} ({address})";
        var why = exchange.Failure switch
        {
            HttpFailure.Refused => new Diagnosis.Verdict(ProbeCause.Refused, $"nothing listens on port {uri.Port} at {label}: connection refused."),
            HttpFailure.Protocol => new Diagnosis.Verdict(ProbeCause.NotHttp, $"{label} answered on port {uri.Port}, but not with HTTP{(exchange.Detail is null ? "" : $" ({exchange.Detail})")}."),
            _ => Diagnosis.NoAnswer(view, srcNow, address.ToString(), owner, timeout, $"on port {uri.Port}", IPAddress.TryParse(host, out _) ? null : host, fromHosts),
        };
        return new HttpResult(src.Name, url, address.ToString(), null, "", Empty, clock.Elapsed, exchange.Failure, why.Text, transport.Via) { Cause = why.Cause };
    }
}
