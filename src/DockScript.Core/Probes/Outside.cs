using System.Globalization;
using System.Security.Cryptography;

namespace DockScript;

/// <summary>
/// A stand-in for the world beyond the host (seed S7, S8), so masquerade can be proved without
/// sending a packet off the machine. It is one small web server in a container that is on no
/// Docker network at all: a veth pair of its own joins it to the host, on a /30 from
/// 198.18.0.0/15 (RFC 2544's range for tests). A lab container reaches it as it would reach the
/// internet: through its gateway, the host's routing table, and whatever Docker's NAT rules do
/// to packets that leave a bridge for a non-Docker interface. Its one page answers with the
/// address the request came from.
/// </summary>
/// <remarks>
/// The host side of the veth pair lives in the engine host's namespace, put there by a short-lived
/// plumbing container (host network and pid, <c>NET_ADMIN</c>). It goes away by itself with the
/// server container: removing that destroys its namespace, the veth end in it, and so its peer.
/// Both containers carry the session's labels and are cleaned up with it.
/// </remarks>
internal sealed partial class Outside
{
    /// <summary>The page that answers with the caller's address, as the server saw it.</summary>
    private const string Page = "/cgi-bin/from";

    private Outside(Container server, string serverAddress, string hostAddress)
    {
        Server = server;
        ServerAddress = serverAddress;
        HostAddress = hostAddress;
    }

    /// <summary>The server's container (hidden among the probe helpers).</summary>
    public Container Server { get; }

    /// <summary>The server's address, e.g. <c>198.18.7.2</c>.</summary>
    public string ServerAddress { get; }

    /// <summary>The host's address on the link to the server, e.g. <c>198.18.7.1</c>: what masqueraded traffic comes from.</summary>
    public string HostAddress { get; }

    /// <summary>The URL whose body is the caller's address.</summary>
    public string Url => $"http://{ServerAddress}{Page}";

    /// <summary>Reads the address out of the page's body (httpd writes IPv4 callers as <c>[::ffff:a.b.c.d]</c>).</summary>
    public static string? CallerFrom(string body)
    {
        var text = body.Trim().Trim('[', ']');
        if (text.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..];
        }
        return System.Net.IPAddress.TryParse(text, out var address) ? address.ToString() : null;
    }

    /// <summary>Starts the server and wires it to the host.</summary>
    /// <exception cref="DockScriptException">The engine refused, or no free /30 was found.</exception>
    public static async Task<Outside> StartAsync(Lab lab, string role, CancellationToken ct)
    {
        await lab.Images.EnsureLabImageAsync(LabImage.Toolbox, ct).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var labels = lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = role });
        var cgi = $"mkdir -p /srv/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho \"$REMOTE_ADDR\"\\n' > /srv{Page} "
                  + $"&& chmod +x /srv{Page} && exec httpd -f -p 80 -h /srv";
        var server = await RunAsync(lab, $"dockscript-outside-{id}", ["sh", "-c", cgi], labels,
            new ContainerSpec(LabImage.Toolbox.Name, labels) { NetworkMode = "none", CapAdd = ["NET_ADMIN"] }, ct).ConfigureAwait(false);
        try
        {
            var pid = (await server.InspectRawAsync(ct).ConfigureAwait(false)).Pid;
            var (subnet, hostAddress, serverAddress) = await PlumbAsync(lab, id, pid, labels, ct).ConfigureAwait(false);
            var inside = await server.ExecAsync(["sh", "-c",
                $"ip addr add {serverAddress}/30 dev dso{id} && ip link set dso{id} up && ip route add default via {hostAddress}"], ct).ConfigureAwait(false);
            if (!inside.Success)
            {
                throw new DockScriptException($"Could not set up the outside server's end of {subnet}: {(inside.Stderr + inside.Stdout).Trim()}");
            }
            return new Outside(server, serverAddress, hostAddress);
        }
        catch
        {
            await lab.TryRemoveContainerAsync(server.Id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes the veth pair in the host's namespace, moves one end into the server's, and gives the
    /// host's end the first address of a free /30. Returns that /30 and both addresses.
    /// </summary>
    private static async Task<(string Subnet, string Host, string Server)> PlumbAsync(Lab lab, string id, long serverPid, Dictionary<string, string> labels, CancellationToken ct)
    {
        var plumber = await RunAsync(lab, $"dockscript-plumber-{id}", ["sleep", "120"], labels,
            new ContainerSpec(LabImage.Toolbox.Name, labels) { NetworkMode = "host", PidMode = "host", CapAdd = ["NET_ADMIN", "SYS_ADMIN"] }, ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var block = RandomNumberGenerator.GetInt32(0, 2 * 256 * 64); // a /30 anywhere in 198.18.0.0/15
                var (second, third, fourth) = (18 + (block >> 14), (block >> 6) & 255, (block & 63) * 4);
                var net = string.Create(CultureInfo.InvariantCulture, $"198.{second}.{third}");
                var (host, server) = ($"{net}.{fourth + 1}", $"{net}.{fourth + 2}");
                var inServer = $"nsenter -t {serverPid} -n";
                var script = string.Join('\n',
                    "set -e",
                    // Never shadow what this host already uses: an address or a route in that /24, or the whole range.
                    $"if ip -4 addr | grep -q ' {Escape(net)}\\.' || ip -4 route | grep -qE '^({Escape(net)}\\.|198\\.18\\.0\\.0/15)'; then exit 17; fi",
                    // The pair is made inside the server's namespace and only then is one end moved out, so at
                    // no moment does a whole pair sit on the host: killed at any step (Ctrl+C, SIGKILL), what
                    // was made goes away with the server's namespace, which DockScript removes on failure.
                    $"{inServer} ip link add dsh{id} type veth",
                    $"peer=$({inServer} ip -o link show dsh{id} | sed -n 's/^[0-9]*: dsh{id}@\\([^:]*\\):.*/\\1/p')",
                    $"{inServer} ip link set \"$peer\" name dso{id}",
                    $"{inServer} ip link set dsh{id} netns 1", // pid 1 of the host's pid namespace: into the host's network
                    $"ip addr add {host}/30 dev dsh{id}",
                    $"ip link set dsh{id} up");
                var result = await ExecWhileAliveAsync(lab, plumber, script, ct).ConfigureAwait(false);
                if (result.Success)
                {
                    return ($"{net}.{fourth}/30", host, server);
                }
                if (result.ExitCode != 17)
                {
                    throw new DockScriptException($"Could not join the outside server to the engine's host: {(result.Stderr + result.Stdout).Trim()}");
                }
            }
            throw new DockScriptException("Could not find a free /30 in 198.18.0.0/15 on the engine's host for the outside server.");
        }
        finally
        {
            await lab.TryRemoveContainerAsync(plumber.Id).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the plumbing script, but gives up when its container ends first: the engine does not
    /// end an exec whose container was killed, so waiting on the exec alone would hang forever.
    /// </summary>
    private static async Task<ExecResult> ExecWhileAliveAsync(Lab lab, Container plumber, string script, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var exec = plumber.ExecAsync(["sh", "-c", script], stop.Token);
        var ended = lab.Gateway.Containers.WaitAsync(plumber.Id, $"wait for {plumber.Name}", stop.Token);
        if (await Task.WhenAny(exec, ended).ConfigureAwait(false) == exec)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(ended).ConfigureAwait(false); // observed, so its cancellation is not unobserved
            return await exec.ConfigureAwait(false);
        }
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(exec).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        var code = ended.IsCompletedSuccessfully ? $" (exit {ended.Result})" : "";
        throw new DockScriptException($"The plumbing container {plumber.Name} ended{code} before the outside server was joined to the host; try again.");
    }

    /// <summary>False when the server is gone or stopped behind DockScript's back (removed by hand, dockerd restarted).</summary>
    public async Task<bool> ServesAsync(CancellationToken ct)
    {
        try
        {
            return (await Server.InspectRawAsync(ct).ConfigureAwait(false)).Running;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The host ends (<c>dsh…</c>) of links whose outside server no longer exists, in any session.
    /// A link normally dies with its server; these are what an interrupted plumbing of an older
    /// DockScript left. Read by a short-lived host-network container, so it works on a remote engine too.
    /// </summary>
    public static async Task<IReadOnlyList<string>> OrphanLinksAsync(Lab lab, CancellationToken ct)
    {
        var servers = (await lab.ListOwnContainersAsync(LabLabels.Managed + "=true", ct).ConfigureAwait(false))
            .Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var listing = await OnHostAsync(lab, "ip -o link show", ct).ConfigureAwait(false);
        return listing.Split('\n')
            .Select(line => LinkRegex().Match(line))
            .Where(m => m.Success && !servers.Contains($"dockscript-outside-{m.Groups[2].Value}"))
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Deletes host links found by <see cref="OrphanLinksAsync"/>.</summary>
    public static async Task RemoveLinksAsync(Lab lab, IReadOnlyList<string> links, CancellationToken ct)
    {
        if (links.Count > 0)
        {
            _ = await OnHostAsync(lab, string.Join("; ", links.Select(l => $"ip link del {l}")), ct).ConfigureAwait(false);
        }
    }

    private static async Task<string> OnHostAsync(Lab lab, string command, CancellationToken ct)
    {
        await lab.Images.EnsureLabImageAsync(LabImage.Toolbox, ct).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var labels = lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = "probe" });
        var links = await RunAsync(lab, $"dockscript-links-{id}", ["sleep", "60"], labels,
            new ContainerSpec(LabImage.Toolbox.Name, labels) { NetworkMode = "host", CapAdd = ["NET_ADMIN"] }, ct).ConfigureAwait(false);
        try
        {
            var result = await links.ExecAsync(["sh", "-c", command], ct).ConfigureAwait(false);
            return result.Stdout;
        }
        finally
        {
            await lab.TryRemoveContainerAsync(links.Id).ConfigureAwait(false);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d+: ((?:dsh)([0-9a-f]{6}))[@:]")]
    private static partial System.Text.RegularExpressions.Regex LinkRegex();

    private static string Escape(string dotted) => dotted.Replace(".", "\\.", StringComparison.Ordinal);

    private static async Task<Container> RunAsync(Lab lab, string name, IList<string> cmd, Dictionary<string, string> labels, ContainerSpec host, CancellationToken ct)
    {
        var id = await lab.Gateway.Containers.CreateAsync(host with { Name = name, Cmd = cmd.ToList(), StopSignal = "SIGKILL" }, $"create {name}", ct).ConfigureAwait(false);
        try
        {
            await lab.Gateway.Containers.StartAsync(id, $"start {name}", ct).ConfigureAwait(false);
        }
        catch
        {
            await lab.TryRemoveContainerAsync(id).ConfigureAwait(false);
            throw;
        }
        return new Container(lab, id, name, LabImage.Toolbox.Name, labels);
    }
}
