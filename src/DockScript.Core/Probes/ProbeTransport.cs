using System.Net;

namespace DockScript;

/// <summary>
/// How probe traffic leaves a source container: straight from its network namespace
/// (<see cref="NamespaceTransport"/>) or through a toolbox helper sharing it
/// (<see cref="HelperTransport"/>). Both report raw facts; <see cref="Probes"/> turns them into
/// results with reasons, so both paths give the same answers.
/// </summary>
internal interface IProbeTransport
{
    /// <summary>"namespace" or "helper", as shown in results.</summary>
    string Via { get; }

    /// <summary>Sends <paramref name="count"/> ICMP echoes, waiting up to <paramref name="timeout"/> for each reply.</summary>
    Task<EchoOutcome> PingAsync(IPAddress address, int count, TimeSpan timeout, TimeSpan interval, CancellationToken ct);

    /// <summary>Asks <paramref name="server"/> (port 53, UDP) for the A record of <paramref name="name"/>.</summary>
    Task<DnsReply> QueryAsync(IPAddress server, string name, TimeSpan timeout, CancellationToken ct);

    /// <summary>GETs <paramref name="url"/> from <paramref name="address"/> (its host already resolved).</summary>
    Task<HttpExchange> GetAsync(Uri url, IPAddress address, TimeSpan timeout, CancellationToken ct);

    /// <summary>Reads a file as the source sees it (<c>/etc/hosts</c>, <c>/etc/resolv.conf</c>).</summary>
    Task<string> ReadFileAsync(string path, CancellationToken ct);
}
