using System.Net;

namespace DockScript;

// Ping (see Probes.cs for the class; the matrix built from pings is in Probes.Reachability.cs).
public sealed partial class Probes
{
    // ───────────── Ping ─────────────

    /// <summary>Pings <paramref name="to"/> (a name or an address, resolved as <paramref name="from"/> would) from inside <paramref name="from"/>.</summary>
    public async Task<PingResult> PingAsync(Container from, string to, int count = 4, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        Check(count, timeout, "Ping");
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new DockScriptException("Ping needs a target: a container, a name or an address.");
        }
        if (OnOtherEngine(from))
        {
            var there = await ExplainAcrossAsync(await from.Lab.Probes.PingAsync(from, to, count, timeout, ct).ConfigureAwait(false) with { Source = Qualified(from) }, from, to, null, ct).ConfigureAwait(false);
            Record(new JournalEntry.Ping(there));
            return there;
        }
        Watch.Ensure();
        var result = await ExplainAcrossAsync(await PingCoreAsync(from, to.Trim(), null, count, timeout ?? DefaultPingTimeout, ct).ConfigureAwait(false), from, to, null, ct).ConfigureAwait(false);
        Record(new JournalEntry.Ping(result));
        return result;
    }

    /// <summary>Pings container <paramref name="to"/> at its address on a network both share (else its primary address).</summary>
    public async Task<PingResult> PingAsync(Container from, Container to, int count = 4, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Check(count, timeout, "Ping");
        if (OnOtherEngine(from) || OnOtherEngine(to))
        {
            return await PingAcrossAsync(from, to, count, timeout, ct).ConfigureAwait(false);
        }
        Watch.Ensure();
        var result = await PingCoreAsync(from, to.Name, to, count, timeout ?? DefaultPingTimeout, ct).ConfigureAwait(false);
        Record(new JournalEntry.Ping(result));
        return result;
    }

    private async Task<PingResult> PingCoreAsync(Container from, string target, Container? toContainer, int count, TimeSpan timeout, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var fresh = attempt > 0;
            var src = await cache.ViewAsync(from, fresh, ct).ConfigureAwait(false);
            if (Diagnosis.SourceProblem(src) is { } cannot)
            {
                return new PingResult(src.Name, target, null, 0, 0, null, cannot.Text, ViaName) { Cause = cannot.Cause };
            }
            var transport = await Pool.TransportAsync(from, ct).ConfigureAwait(false);
            var (address, dst, fromHosts, problem) = await targets.AddressAsync(src, target, toContainer, transport, fresh, Shorter(timeout, DefaultDnsTimeout), ct).ConfigureAwait(false);
            if (address is null)
            {
                return new PingResult(src.Name, target, null, 0, 0, null, problem?.Text, transport.Via) { Cause = problem?.Cause ?? ProbeCause.NoAnswer };
            }
            var echo = await transport.PingAsync(address, count, timeout, EchoInterval, ct).ConfigureAwait(false);
            if (echo.Replies.Count > 0)
            {
                return new PingResult(src.Name, target, address.ToString(), echo.Sent, echo.Replies.Count, RoundTrip.Of(echo.Replies), null, transport.Via);
            }
            // Explain from fresh state; if that state points elsewhere than the cache did, try once more.
            var view = await cache.SnapshotAsync(ct).ConfigureAwait(false);
            var srcNow = await cache.ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
            var dstNow = toContainer is null ? null : view.Containers.FirstOrDefault(c => c.Id == toContainer.Id);
            // The cache may be up to a second old: if the source restarted meanwhile (a new
            // namespace) or the target moved, the echo went the wrong way. Ask once more, fresh.
            if (!fresh && (srcNow.Started != src.Started
                           || (toContainer is not null && dstNow is not null && Targets.AddressFor(srcNow, dstNow) is { } again && again != address.ToString())))
            {
                continue;
            }
            var verdict = Diagnosis.NoAnswer(view, srcNow, address.ToString(), dstNow ?? dst, timeout, "the ping",
                toContainer is null && !IPAddress.TryParse(target, out _) ? target : null, fromHosts);
            return new PingResult(src.Name, target, address.ToString(), echo.Sent, 0, null, verdict.Text, transport.Via) { Cause = verdict.Cause };
        }
    }
}
