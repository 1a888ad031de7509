using System.Diagnostics;
using System.Net;

namespace DockScript;

// Explain: why one container can or cannot reach a target, layer by layer (see Probes.cs for the class).
public sealed partial class Probes
{
    /// <summary>How long Explain's final probe waits: one echo, or one TCP connection.</summary>
    public static readonly TimeSpan ExplainTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc cref="ExplainAsync(Container, string, int?, CancellationToken)"/>
    public Explanation Explain(Container from, string to, int? port = null) =>
        Ambient.Wait(ct => ExplainAsync(from, to, port, ct));

    /// <inheritdoc cref="ExplainAsync(Container, Container, int?, CancellationToken)"/>
    public Explanation Explain(Container from, Container to, int? port = null) =>
        Ambient.Wait(ct => ExplainAsync(from, to, port, ct));

    /// <summary>
    /// Why <paramref name="from"/> can or cannot reach <paramref name="to"/> (a name, resolved as
    /// <paramref name="from"/> would, or an address): name, address, path, firewall and listener,
    /// each with its evidence, then a real ping (or, with <paramref name="port"/>, a TCP connection).
    /// </summary>
    public Task<Explanation> ExplainAsync(Container from, string to, int? port = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new DockScriptException("Explain needs a target: a container, a name or an address.");
        }
        return RecordedAsync(ExplainCoreAsync(from, to.Trim(), null, port, ct));
    }

    /// <summary>Why <paramref name="from"/> can or cannot reach container <paramref name="to"/> at its address on a network both share.</summary>
    public Task<Explanation> ExplainAsync(Container from, Container to, int? port = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return RecordedAsync(ExplainCoreAsync(from, to.Name, to, port, ct));
    }

    /// <summary>An explanation goes into the journal like a probe's result, so a run's report shows it.</summary>
    private async Task<Explanation> RecordedAsync(Task<Explanation> explaining)
    {
        var explanation = await explaining.ConfigureAwait(false);
        Record(new JournalEntry.Explain(explanation));
        return explanation;
    }

    private AddressWatch? watch;

    /// <summary>The event stream that tells the address book about containers DockScript did not create.</summary>
    private AddressWatch Watch => LazyInitializer.EnsureInitialized(ref watch, () => new AddressWatch(lab.Gateway));

    private async Task<Explanation> ExplainCoreAsync(Container from, string target, Container? toContainer, int? port, CancellationToken ct)
    {
        if (port is < 1 or > 65535)
        {
            throw new DockScriptException($"Explain needs a TCP port between 1 and 65535, but {port} was given.");
        }
        Watch.Ensure();
        var trail = new Trail();
        trail.SetPort(port);
        var src = await cache.ViewAsync(from, fresh: true, ct).ConfigureAwait(false);
        var view = await cache.SnapshotAsync(ct).ConfigureAwait(false);
        if (Diagnosis.Isolated(src) is { } cannot)
        {
            trail.Fail(ExplanationLayer.Path, cannot);
            trail.Add(ExplanationLayer.Answer, false, "not sent: nothing can leave " + src.Name);
            return trail.Finish(src.Name, target, port, ViaName, null);
        }
        var transport = await Pool.TransportAsync(from, ct).ConfigureAwait(false);
        var files = new SourceFiles(transport);

        // ── Name ──
        IPAddress? address = null;
        ContainerView? dst = null;
        HostsEntry? hostsLine = null;
        if (toContainer is not null)
        {
            try
            {
                dst = await cache.ViewAsync(toContainer, fresh: true, ct).ConfigureAwait(false);
                trail.Add(ExplanationLayer.Name, true, $"{toContainer.Name} is given as a container: no name to look up");
                address = Targets.AddressFor(src, dst) is { } a ? IPAddress.Parse(a) : null;
            }
            catch (NotFoundException)
            {
                trail.Fail(ExplanationLayer.Name, Diagnosis.Gone(toContainer.Name, toContainer.Id));
            }
        }
        else if (IPAddress.TryParse(target, out var literal))
        {
            trail.Add(ExplanationLayer.Name, true, $"{target} is an address: no name to look up");
            address = literal;
        }
        else
        {
            var dns = await targets.ResolveAsync(src, target, transport, DefaultDnsTimeout, ct, files, view).ConfigureAwait(false);
            var resolv = ResolvConf.Parse(await files.ReadAsync("/etc/resolv.conf", ct).ConfigureAwait(false));
            var servers = resolv.Nameservers.Count == 0 ? "no nameserver in resolv.conf" : "resolv.conf: nameserver " + string.Join(", ", resolv.Nameservers);
            if (dns.Success)
            {
                address = IPAddress.Parse(dns.Addresses[0]);
                if (dns.AnsweredBy == AnsweredBy.HostsFile)
                {
                    hostsLine = HostsFile.Parse(await files.ReadAsync("/etc/hosts", ct).ConfigureAwait(false))
                        .FirstOrDefault(e => e.Names.Contains(target, StringComparer.OrdinalIgnoreCase));
                    trail.Add(ExplanationLayer.Name, true, $"'{target}' → {address} from /etc/hosts{(Diagnosis.LinkOf(src, target) is { } link ? $" (a link to {link})" : "")}: \"{hostsLine}\"");
                }
                else
                {
                    var who = dns.AnsweredBy == AnsweredBy.EmbeddedDns ? "the embedded DNS (127.0.0.11)" : $"nameserver {dns.Server}";
                    trail.Add(ExplanationLayer.Name, true, $"'{target}' → {address} from {who}; not in /etc/hosts; {servers}");
                }
            }
            else
            {
                var verdict = Diagnosis.NameElsewhere(await WithAliasesAsync(view, ct).ConfigureAwait(false), src, target)
                    ?? new Diagnosis.Verdict(dns.Cause, dns.Reason ?? $"'{target}' did not resolve.");
                trail.Fail(ExplanationLayer.Name, verdict, $"; {servers}");
            }
        }

        // ── Address ──
        Hairpin? hairpin = null;
        if (address is not null)
        {
            var a = address.ToString();
            var owner = dst is { Running: true } && dst.Networks.Values.Any(e => e.Address == a) ? dst : view.Owner(a);
            if (owner is not null)
            {
                dst = owner;
                var net = owner.Networks.First(e => e.Value.Address == a).Key;
                trail.Add(ExplanationLayer.Address, true, $"{a} is {owner.Name}'s address on '{net}'");
            }
            else if (dst is not null)
            {
                trail.Fail(ExplanationLayer.Address, Targets.Unaddressable(src, dst));
            }
            else if (view.Networks.FirstOrDefault(n => n.Gateways.Contains(a)) is { } hostNet)
            {
                hairpin = new Hairpin(hostNet, port is { } p ? view.Containers.FirstOrDefault(c => c.Running && c.Ports.Any(m => m.HostPort == p && m.Protocol == "tcp")) : null);
                var publisher = hairpin.Publisher is { } pub && port is { } hp
                    ? $"; port {hp} is published by {pub.Name} ({pub.Ports.First(m => m.HostPort == hp)})"
                    : port is { } np ? $"; no container publishes port {np}" : "";
                trail.Add(ExplanationLayer.Address, true, $"{a} is the host's own address on '{hostNet.Name}' (its gateway){publisher}");
            }
            else if (Diagnosis.Vacated(view, src, a, toContainer is null ? target : null, hostsLine is not null) is { } vacated)
            {
                trail.Fail(ExplanationLayer.Address, vacated);
            }
            else
            {
                trail.Add(ExplanationLayer.Address, true, $"{a} is on no Docker network: it is outside, reached through the host's routing");
            }
        }

        // ── Path ──
        if (address is not null && trail.Ok)
        {
            PathStep(trail, view, src, dst, address, hairpin);
        }

        // ── Firewall ──
        if (address is not null && trail.Ok && !src.OnHost && (dst is null || !dst.OnHost) && src.Id != dst?.Id)
        {
            await FirewallStepAsync(trail, src, dst, address, port, ct).ConfigureAwait(false);
        }

        // ── Listener ──
        if (port is { } tcp && trail.Ok && (hairpin is null ? dst : hairpin.Publisher) is { Running: true } server)
        {
            var serverPort = hairpin is null ? tcp : server.Ports.First(m => m.HostPort == tcp).ContainerPort;
            var serverAddress = hairpin is null ? address! : IPAddress.Parse(Targets.AddressFor(server, server) ?? "0.0.0.0");
            await ListenerStepAsync(trail, server, serverAddress, serverPort, ct).ConfigureAwait(false);
        }

        // ── Answer ──
        ProbeCause answerCause = ProbeCause.None;
        string? answerReason = null;
        if (address is null)
        {
            trail.Add(ExplanationLayer.Answer, false, "not sent: there is no address to send to");
        }
        else
        {
            (answerCause, answerReason) = await AnswerStepAsync(trail, transport, view, src, dst, address, port, hairpin,
                toContainer is null && !IPAddress.TryParse(target, out _) ? target : null, hostsLine is not null, ct).ConfigureAwait(false);
        }
        return trail.Finish(src.Name, target, port, transport.Via, answerReason is null ? null : new Diagnosis.Verdict(answerCause, answerReason));
    }

    private static void PathStep(Trail trail, EngineView view, ContainerView src, ContainerView? dst, IPAddress address, Hairpin? hairpin)
    {
        var own = src.Networks.Keys.Select(view.Network).OfType<NetworkView>().ToList();
        if (dst is null)
        {
            if (Diagnosis.InternalOnly(view, src, address, published: hairpin is not null) is { } walled)
            {
                trail.Fail(ExplanationLayer.Path, walled);
                return;
            }
            if (hairpin is not null)
            {
                var server = hairpin.Publisher is { } pub && trail.Port is { } p && pub.Ports.First(m => m.HostPort == p) is var map
                    ? $" → {pub.Name} {Targets.AddressFor(pub, pub)}:{map.ContainerPort}" : "";
                trail.Add(ExplanationLayer.Path, true,
                    $"hairpin: {src.Name} → host {address}{(trail.Port is { } hp ? $":{hp}" : "")} (published port: DNAT or docker-proxy){server}, and the answer comes back the same way through the host");
                return;
            }
            trail.Add(ExplanationLayer.Path, true, own.Count == 0 ? $"{src.Name} uses {src.NetworkList}" : $"{src.Name} routes it through {Quoted(own)}{(own.All(n => !n.Internal) ? ", which masquerade" : "")}");
            return;
        }
        if (Diagnosis.PathProblem(src, dst) is { } problem)
        {
            trail.Fail(ExplanationLayer.Path, problem);
            return;
        }
        if (src.OnHost || dst.OnHost || src.Id == dst.Id)
        {
            trail.Add(ExplanationLayer.Path, true, src.Id == dst.Id ? $"{src.Name} is the target itself" : "the host network: no Docker network in between");
            return;
        }
        var shared = src.SharedNetworks(dst).Select(view.Network).OfType<NetworkView>().ToList();
        var through = shared.FirstOrDefault(n => n.Contains(address)) ?? shared.FirstOrDefault();
        if (through is { Icc: false, Driver: "bridge" })
        {
            trail.Fail(ExplanationLayer.Path, new(ProbeCause.IccDisabled,
                $"'{through.Name}' has inter-container communication turned off (com.docker.network.bridge.enable_icc=false): Docker drops traffic between {src.Name} and {dst.Name} there; use a network without that option, or publish the port and go through the host."));
            return;
        }
        trail.Add(ExplanationLayer.Path, true, through is null
            ? $"{src.Name} and {dst.Name} share a network"
            : $"{src.Name} and {dst.Name} share '{through.Name}' ({through.Driver}, {string.Join(", ", through.Subnets)}{(through.Internal ? ", internal" : "")}, inter-container traffic on)");
    }

    private async Task FirewallStepAsync(Trail trail, ContainerView src, ContainerView? dst, IPAddress address, int? port, CancellationToken ct)
    {
        if (await DockerUserChain.ReadAsync(lab, ct).ConfigureAwait(false) is not (string save, string how))
        {
            trail.Add(ExplanationLayer.Firewall, true, "not read: iptables-save needs root on the engine's host, or the dockscript/node image (built from this machine's xtables) in a helper");
            return;
        }
        var rules = DockerUserChain.Parse(save);
        var from = dst is null ? src.PrimaryAddress : Targets.AddressFor(dst, src);
        if (from is null || !IPAddress.TryParse(from, out var source))
        {
            trail.Add(ExplanationLayer.Firewall, true, $"DOCKER-USER has {rules.Count} rule(s); {src.Name} has no address to match them against");
            return;
        }
        var proto = port is null ? "icmp" : "tcp";
        if (DockerUserChain.Dropping(rules, source, address, proto, port) is { } rule)
        {
            trail.Fail(ExplanationLayer.Firewall, new(ProbeCause.FirewallRule,
                $"the DOCKER-USER rule \"{rule.Text}\" {(rule.Target == "DROP" ? "drops" : "rejects")} {proto} from {src.Name} ({source}) to {address}; remove it with iptables {rule.Text.Replace("-A ", "-D ", StringComparison.Ordinal)}."));
            return;
        }
        trail.Add(ExplanationLayer.Firewall, true, rules.Count <= 1
            ? $"DOCKER-USER holds no rule of yours ({how})"
            : $"no rule of DOCKER-USER's {rules.Count} drops {proto} from {source} to {address} ({how})");
    }

    private async Task ListenerStepAsync(Trail trail, ContainerView server, IPAddress address, int port, CancellationToken ct)
    {
        string tables;
        try
        {
            tables = await lab.Namespaces.ReadTcpTablesAsync(await lab.Containers.GetAsync(server.Id, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch (DockScriptException e)
        {
            trail.Add(ExplanationLayer.Listener, true, $"not read: {e.Message}");
            return;
        }
        var sockets = ListeningSockets.Parse(tables);
        var onPort = sockets.Where(s => s.Port == port).ToList();
        if (onPort.FirstOrDefault(s => s.Accepts(address)) is { } open)
        {
            trail.Add(ExplanationLayer.Listener, true, $"{server.Name} listens on {open.Endpoint} (/proc/net/tcp: {open.Line})");
            return;
        }
        if (onPort.Count > 0 && onPort.All(s => s.Loopback))
        {
            var only = onPort[0];
            trail.Fail(ExplanationLayer.Listener, new(ProbeCause.LoopbackOnly,
                $"{server.Name} listens on port {port} only at {only.Endpoint}, so only processes inside {server.Name} can connect; make the server listen on 0.0.0.0 (/proc/net/tcp: {only.Line})."));
            return;
        }
        trail.Fail(ExplanationLayer.Listener, new(ProbeCause.Refused, $"nothing in {server.Name} listens on TCP port {port} at {address}; {ListensOn(server.Name, sockets)}"));
    }

    private static readonly IPAddress EmbeddedDns = IPAddress.Parse("127.0.0.11");

    /// <summary>Which ports a target does listen on, and at which addresses: "it listens on 80 at 0.0.0.0, 8080 at 127.0.0.1 only (…)".</summary>
    internal static string ListensOn(string server, IReadOnlyList<ListeningSocket> sockets)
    {
        // Docker's embedded DNS keeps a TCP socket at 127.0.0.11 in every container on a user
        // network: it is Docker's, not a server of the user's, so it is not listed.
        sockets = sockets.Where(s => !s.Address.Equals(EmbeddedDns) && !(s.Address.IsIPv4MappedToIPv6 && s.Address.MapToIPv4().Equals(EmbeddedDns))).ToList();
        if (sockets.Count == 0)
        {
            return "it listens on no TCP port at all.";
        }
        var ports = sockets.GroupBy(s => s.Port).OrderBy(g => g.Key).Select(g =>
        {
            var at = string.Join(" and ", g.Select(s => s.Address.IsIPv4MappedToIPv6 ? s.Address.MapToIPv4().ToString() : s.Address.ToString()).Distinct());
            return $"{g.Key} at {at}{(g.All(s => s.Loopback) ? " only" : "")}";
        });
        return $"it listens on {string.Join(", ", ports)}"
            + (sockets.All(s => s.Loopback) ? $", which only processes inside {server} can reach." : ".");
    }

    private static async Task<(ProbeCause, string?)> AnswerStepAsync(Trail trail, IProbeTransport transport, EngineView view, ContainerView src, ContainerView? dst,
        IPAddress address, int? port, Hairpin? hairpin, string? name, bool fromHosts, CancellationToken ct)
    {
        var predicted = trail.FirstFailure;
        var clock = Stopwatch.StartNew();
        bool ok;
        string evidence;
        Diagnosis.Verdict? failure = null;
        if (port is not { } p)
        {
            var echo = await transport.PingAsync(address, 1, ExplainTimeout, EchoInterval, ct).ConfigureAwait(false);
            ok = echo.Replies.Count > 0;
            evidence = ok ? $"ping {address}: reply in {RoundTrip.Ms(echo.Replies[0])} ms" : $"ping {address}: no reply within {Diagnosis.Seconds(ExplainTimeout)}";
            if (!ok)
            {
                failure = Diagnosis.NoAnswer(view, src, address.ToString(), dst, ExplainTimeout, "the ping", name, fromHosts);
            }
        }
        else
        {
            var exchange = await transport.GetAsync(new Uri($"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address)}:{p}/"), address, ExplainTimeout, ct).ConfigureAwait(false);
            var ms = RoundTrip.Ms(clock.Elapsed);
            ok = exchange.Status is not null || exchange.Failure == HttpFailure.Protocol;
            var label = dst is null ? $"{address}:{p}" : $"{dst.Name} ({address}:{p})";
            evidence = exchange.Status is { } status ? $"TCP connect to {address}:{p}: connected; HTTP {status} in {ms} ms"
                : exchange.Failure switch
                {
                    HttpFailure.Protocol => $"TCP connect to {address}:{p}: connected in {ms} ms; the server does not speak HTTP",
                    HttpFailure.Refused => $"TCP connect to {address}:{p}: refused (reset) in {ms} ms",
                    HttpFailure.Unreachable => $"TCP connect to {address}:{p}: no route ({exchange.Detail})",
                    _ => $"TCP connect to {address}:{p}: no answer within {Diagnosis.Seconds(ExplainTimeout)}",
                };
            if (!ok)
            {
                failure = exchange.Failure == HttpFailure.Refused
                    ? new(ProbeCause.Refused, $"nothing listens on port {p} at {label}: connection refused.")
                    : Diagnosis.NoAnswer(view, src, address.ToString(), dst, ExplainTimeout, $"on port {p}", name, fromHosts);
                if (hairpin is not null && predicted is null)
                {
                    failure = new(ProbeCause.Hairpin, hairpin.Publisher is null
                        ? $"no container publishes port {p} on the host, so nothing answers at {address}:{p}; publish it (ports: new[] {{ \"{p}:80\" }}) or reach the container at its own address."
                        : $"{src.Name} → host {address}:{p} → {hairpin.Publisher.Name}: the hairpin through the host did not {(exchange.Failure == HttpFailure.Refused ? "connect (refused)" : "answer")}; reach {hairpin.Publisher.Name} at its own address on a shared network instead.");
                }
            }
        }
        if (ok && predicted is not null)
        {
            evidence += $"; it answered although the {predicted.Layer} step predicted failure";
        }
        trail.Add(ExplanationLayer.Answer, ok, evidence + $" (via {transport.Via})");
        return ok ? (ProbeCause.None, null) : (failure!.Cause, failure.Text);
    }

    /// <summary>
    /// The view with each running container's aliases, which only inspect lists: a name that did
    /// not resolve may be an alias on a network the source is not on.
    /// </summary>
    private async Task<EngineView> WithAliasesAsync(EngineView view, CancellationToken ct)
    {
        var running = view.Containers.Where(c => c.Running).Take(200).ToList();
        var inspected = await Task.WhenAll(running.Select(c => lab.Gateway.Containers.InspectAsync(c.Id, ct))).ConfigureAwait(false);
        var byId = inspected.OfType<ContainerInfo>().ToDictionary(c => c.Id, ContainerView.From, StringComparer.Ordinal);
        return view with { Containers = view.Containers.Select(c => byId.GetValueOrDefault(c.Id, c)).ToList() };
    }

    private static string Quoted(IEnumerable<NetworkView> nets) => string.Join(", ", nets.Select(n => $"'{n.Name}'"));

    /// <summary>A host address asked for (a network's gateway), and the container that publishes the port there, if any.</summary>
    private sealed record Hairpin(NetworkView Network, ContainerView? Publisher);

    /// <summary>The steps as they are found; the first failure before the answer is the predicted cause.</summary>
    private sealed class Trail
    {
        private readonly List<(ExplanationStep Step, Diagnosis.Verdict? Verdict)> steps = [];

        public int? Port { get; private set; }

        /// <summary>True while no layer has failed.</summary>
        public bool Ok => steps.All(s => s.Step.Ok);

        public ExplanationStep? FirstFailure => steps.Select(s => s.Step).FirstOrDefault(s => !s.Ok);

        public void Add(ExplanationLayer layer, bool ok, string evidence) => steps.Add((new ExplanationStep(layer, ok, evidence), null));

        public void Fail(ExplanationLayer layer, Diagnosis.Verdict verdict, string extra = "") =>
            steps.Add((new ExplanationStep(layer, false, verdict.Text.TrimEnd('.') + extra) { Cause = verdict.Cause }, verdict));

        public Explanation Finish(string source, string target, int? port, string via, Diagnosis.Verdict? answer)
        {
            var reachable = steps.Count > 0 && steps[^1].Step is { Layer: ExplanationLayer.Answer, Ok: true };
            var first = steps.FirstOrDefault(s => s.Verdict is not null && !s.Step.Ok).Verdict;
            var cause = reachable ? null : first ?? answer;
            return new Explanation(source, target, port, reachable, cause?.Cause ?? (reachable ? ProbeCause.None : ProbeCause.NoAnswer), cause?.Text,
                steps.Select(s => s.Step).ToList(), via);
        }

        public void SetPort(int? port) => Port = port;
    }
}
