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
    /// <summary>The address to probe, the target's view when it is a container, or why there is none.</summary>
    public async Task<(IPAddress? Address, ContainerView? Dst, Diagnosis.Verdict? Problem)> AddressAsync(
        ContainerView src, string target, Container? toContainer, IProbeTransport transport, bool fresh, TimeSpan dnsTimeout, CancellationToken ct)
    {
        if (toContainer is not null)
        {
            var dst = await cache.ViewAsync(toContainer, fresh, ct).ConfigureAwait(false);
            if (AddressFor(src, dst) is { } ip)
            {
                return (IPAddress.Parse(ip), dst, null);
            }
            return (null, dst, Diagnosis.PathProblem(src, dst)
                ?? new Diagnosis.Verdict(ProbeCause.NoAddress, $"{dst.Name} has no address of its own (it is on {dst.NetworkList}); nothing can reach it by IP."));
        }
        if (IPAddress.TryParse(target, out var literal))
        {
            return (literal, null, null);
        }
        var dns = await ResolveAsync(src, target, transport, dnsTimeout, ct).ConfigureAwait(false);
        return dns.Success ? (IPAddress.Parse(dns.Addresses[0]), null, null) : (null, null, new Diagnosis.Verdict(dns.Cause, dns.Reason ?? "the name did not resolve."));
    }

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
    public async Task<DnsResult> ResolveAsync(ContainerView src, string name, IProbeTransport transport, TimeSpan timeout, CancellationToken ct)
    {
        if (IPAddress.TryParse(name, out var literal))
        {
            return new DnsResult(src.Name, name, [literal.ToString()], AnsweredBy.Literal, null, null, transport.Via);
        }
        var hosts = HostsFile.Parse(await ReadOrEmptyAsync(transport, "/etc/hosts", ct).ConfigureAwait(false));
        var fromHosts = hosts.Lookup(name).Where(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (fromHosts.Count > 0)
        {
            return new DnsResult(src.Name, name, fromHosts, AnsweredBy.HostsFile, "/etc/hosts", null, transport.Via);
        }
        var resolv = ResolvConf.Parse(await ReadOrEmptyAsync(transport, "/etc/resolv.conf", ct).ConfigureAwait(false));
        DnsReply? last = null;
        string? asked = null;
        foreach (var server in resolv.Nameservers)
        {
            if (!IPAddress.TryParse(server, out var serverAddress))
            {
                continue;
            }
            asked = server;
            last = await transport.QueryAsync(serverAddress, name, timeout, ct).ConfigureAwait(false);
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
        var view = await cache.SnapshotAsync(ct).ConfigureAwait(false);
        var verdict = Diagnosis.NameFailure(view, src, resolv, name, last, timeout);
        return new DnsResult(src.Name, name, [], AnsweredBy.None, asked, verdict.Text, transport.Via) { Cause = verdict.Cause };
    }

    private static async Task<string> ReadOrEmptyAsync(IProbeTransport transport, string path, CancellationToken ct)
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
