using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DockScript;

/// <summary>
/// Turns a probe's target into an address from the source's point of view: a
/// <see cref="Container"/> is its address on a network both share (else its primary address); a
/// name goes through the source's <c>/etc/hosts</c>, then its resolv.conf nameservers, as the
/// source's own resolver would.
/// </summary>
internal sealed class Targets(StateCache cache)
{
    private readonly NameLookups lookups = new();

    /// <summary>
    /// The address to probe, the target's view when it is a container, whether the name came
    /// from /etc/hosts (a link, an extra host: a failure is then that entry's), or why there is no address.
    /// </summary>
    public async Task<(IPAddress? Address, ContainerView? Dst, bool FromHosts, Diagnosis.Verdict? Problem)> AddressAsync(
        ContainerView src, string target, Container? toContainer, IProbeTransport transport, bool fresh, TimeSpan dnsTimeout, CancellationToken ct)
    {
        if (toContainer is not null)
        {
            ContainerView dst;
            try
            {
                dst = await cache.ViewAsync(toContainer, fresh, ct).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                return (null, null, false, Diagnosis.Gone(toContainer.Name, toContainer.Id));
            }
            if (AddressFor(src, dst) is { } ip)
            {
                return (IPAddress.Parse(ip), dst, false, null);
            }
            return (null, dst, false, Unaddressable(src, dst));
        }
        if (IPAddress.TryParse(target, out var literal))
        {
            return (literal, null, false, null);
        }
        var dns = await ResolveAsync(src, target, transport, dnsTimeout, ct).ConfigureAwait(false);
        return dns.Success
            ? (IPAddress.Parse(dns.Addresses[0]), null, dns.AnsweredBy == AnsweredBy.HostsFile, null)
            : (null, null, false, new Diagnosis.Verdict(dns.Cause, dns.Reason ?? "the name did not resolve."));
    }

    /// <summary>Why <paramref name="dst"/> has no address that <paramref name="src"/> could ping.</summary>
    public static Diagnosis.Verdict Unaddressable(ContainerView src, ContainerView dst) =>
        Diagnosis.PathProblem(src, dst)
        ?? new Diagnosis.Verdict(ProbeCause.NoAddress, $"{dst.Name} has no address of its own (it is on {dst.NetworkList}); nothing can reach it by IP.");

    /// <summary>The address of <paramref name="dst"/> on a network shared with <paramref name="src"/>, else its primary address.</summary>
    public static string? AddressFor(ContainerView src, ContainerView dst)
    {
        var shared = src.SharedNetworks(dst);
        foreach (var name in shared)
        {
            var networkId = src.Networks[name].NetworkId;
            if (dst.Networks.Values.FirstOrDefault(e => e.NetworkId == networkId)?.Address is { } a)
            {
                return a;
            }
        }
        return dst.Running ? dst.PrimaryAddress : null;
    }

    /// <summary>Resolves <paramref name="name"/> as <paramref name="src"/> does: its /etc/hosts, then its resolv.conf nameservers.</summary>
    /// <param name="src">The source, as last read.</param>
    /// <param name="name">The name to look up.</param>
    /// <param name="transport">The way into the source's namespace.</param>
    /// <param name="timeout">How long each nameserver may take.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <param name="files">The source's files as read once for a whole matrix; null reads them now.</param>
    /// <param name="view">The engine as read once for a whole matrix; null reads it now if the name fails.</param>
    public async Task<DnsResult> ResolveAsync(ContainerView src, string name, IProbeTransport transport, TimeSpan timeout, CancellationToken ct,
        SourceFiles? files = null, EngineView? view = null)
    {
        files ??= new SourceFiles(transport);
        if (IPAddress.TryParse(name, out var literal))
        {
            return new DnsResult(src.Name, name, [literal.ToString()], AnsweredBy.Literal, null, null, transport.Via);
        }
        var hosts = HostsFile.Parse(await files.ReadAsync("/etc/hosts", ct).ConfigureAwait(false));
        var fromHosts = hosts.Lookup(name).Where(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (fromHosts.Count > 0)
        {
            return new DnsResult(src.Name, name, fromHosts, AnsweredBy.HostsFile, "/etc/hosts", null, transport.Via);
        }
        var resolv = ResolvConf.Parse(await files.ReadAsync("/etc/resolv.conf", ct).ConfigureAwait(false));
        DnsReply? last = null;
        string? asked = null;
        foreach (var server in resolv.Nameservers)
        {
            if (!IPAddress.TryParse(server, out var serverAddress))
            {
                continue;
            }
            asked = server;
            last = await lookups.QueryAsync(src, serverAddress, name, transport, timeout, ct).ConfigureAwait(false);
            if (last.Status == DnsStatus.Answer)
            {
                var by = server == "127.0.0.11" ? AnsweredBy.EmbeddedDns : AnsweredBy.Upstream;
                return new DnsResult(src.Name, name, last.Addresses, by, server, null, transport.Via);
            }
            if (last.Status == DnsStatus.NoSuchName)
            {
                break; // an authoritative "no": the resolver asks no further
            }
        }
        view ??= await cache.SnapshotAsync(ct).ConfigureAwait(false);
        var verdict = Diagnosis.NameFailure(view, src, resolv, name, last, timeout);
        return new DnsResult(src.Name, name, [], AnsweredBy.None, asked, verdict.Text, transport.Via) { Cause = verdict.Cause };
    }
}

/// <summary>
/// The files a source's resolver reads (<c>/etc/hosts</c>, <c>/etc/resolv.conf</c>), each read
/// at most once for as long as this is kept: one probe, or a whole matrix from that source.
/// </summary>
internal sealed class SourceFiles(IProbeTransport transport)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> read = new(StringComparer.Ordinal);

    /// <summary>The file's text as the source sees it; empty when it has none.</summary>
    public Task<string> ReadAsync(string path, CancellationToken ct) =>
        read.GetOrAdd(path, p => new Lazy<Task<string>>(() => ReadOrEmptyAsync(p, ct))).Value;

    private async Task<string> ReadOrEmptyAsync(string path, CancellationToken ct)
    {
        try
        {
            return await transport.ReadFileAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotFoundException)
        {
            return "";
        }
    }
}

/// <summary>
/// Name queries in flight, shared: the same name asked of the same server from the same run of
/// the same source waits on one query. A name the embedded DNS forwards to a silent upstream
/// costs its whole timeout, so asking it twice at once would only wait twice.
/// </summary>
internal sealed class NameLookups
{
    private readonly ConcurrentDictionary<(string Source, string Started, IPAddress Server, string Name, TimeSpan Timeout), Task<DnsReply>> inFlight = new();

    public Task<DnsReply> QueryAsync(ContainerView src, IPAddress server, string name, IProbeTransport transport, TimeSpan timeout, CancellationToken ct)
    {
        var key = (src.Id, src.Started, server, name, timeout);
        while (true)
        {
            if (inFlight.TryGetValue(key, out var pending))
            {
                return pending.WaitAsync(ct);
            }
            // The shared query is bounded by its timeout, not by the first caller's token: a
            // caller that gives up must not cancel it for the others.
            var mine = new TaskCompletionSource<DnsReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!inFlight.TryAdd(key, mine.Task))
            {
                continue;
            }
            _ = RunAsync(key, mine, () => transport.QueryAsync(server, name, timeout, CancellationToken.None));
            return mine.Task.WaitAsync(ct);
        }
    }

    private async Task RunAsync((string, string, IPAddress, string, TimeSpan) key, TaskCompletionSource<DnsReply> mine, Func<Task<DnsReply>> query)
    {
        try
        {
            mine.SetResult(await query().ConfigureAwait(false));
        }
        catch (Exception e)
        {
            mine.SetException(e);
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<(string, string, IPAddress, string, TimeSpan), Task<DnsReply>>(key, mine.Task));
        }
    }
}
