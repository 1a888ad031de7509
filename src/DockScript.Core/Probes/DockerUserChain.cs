using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace DockScript;

/// <summary>
/// The user's own rules in iptables' <c>DOCKER-USER</c> chain, which Docker consults before its
/// own for every forwarded packet: read with <c>iptables-save</c> on the engine's host, and matched
/// against one flow to name the rule that drops it.
/// </summary>
internal static class DockerUserChain
{
    /// <summary>One <c>-A DOCKER-USER</c> rule: the conditions DockScript understands, and its verdict.</summary>
    internal sealed record Rule(string Text, string? Source, string? Destination, string? Protocol, int? Port, string Target, bool Understood);

    /// <summary>The chain's rules in order, from the text of <c>iptables-save</c>.</summary>
    public static IReadOnlyList<Rule> Parse(string save)
    {
        var rules = new List<Rule>();
        foreach (var raw in save.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("-A DOCKER-USER ", StringComparison.Ordinal))
            {
                continue;
            }
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? src = null, dst = null, proto = null, target = "";
            int? port = null;
            var understood = true;
            for (var i = 2; i < words.Length; i++)
            {
                var value = i + 1 < words.Length ? words[i + 1] : "";
                switch (words[i])
                {
                    case "-s": src = value; i++; break;
                    case "-d": dst = value; i++; break;
                    case "-p": proto = value; i++; break;
                    case "--dport": port = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null; understood &= port is not null; i++; break;
                    case "-j": target = value; i++; break;
                    case "-m" when value is "tcp" or "udp" or "icmp" or "comment": i++; break;
                    case "--comment": i++; while (i < words.Length && !words[i].EndsWith('"')) { i++; } break;
                    case "--reject-with": i++; break;
                    default: understood = false; break;
                }
            }
            rules.Add(new Rule(line, src, dst, proto, port, target, understood));
        }
        return rules;
    }

    /// <summary>
    /// The rule that drops or rejects the flow, or null when the chain returns or accepts it first.
    /// Rules with conditions DockScript does not read (interfaces, conntrack, negations) are passed over.
    /// </summary>
    public static Rule? Dropping(IReadOnlyList<Rule> rules, IPAddress source, IPAddress destination, string protocol, int? port)
    {
        foreach (var r in rules)
        {
            if (!r.Understood || !Matches(r.Source, source) || !Matches(r.Destination, destination)
                || (r.Protocol is not null && r.Protocol != protocol && r.Protocol != "all")
                || (r.Port is not null && r.Port != port))
            {
                continue;
            }
            switch (r.Target)
            {
                case "DROP" or "REJECT":
                    return r;
                case "RETURN" or "ACCEPT":
                    return null;
            }
        }
        return null;
    }

    private static bool Matches(string? cidr, IPAddress address) =>
        cidr is null || (System.Net.IPNetwork.TryParse(cidr.Contains('/', StringComparison.Ordinal) ? cidr : cidr + "/32", out var net) && net.Contains(address));

    private static readonly string[] Tools = ["/usr/sbin/iptables-save", "/sbin/iptables-save"];

    /// <summary>
    /// The engine host's filter table and how it was read: with <c>iptables-save</c> on this
    /// machine when the engine is local and we are root, else through a helper. Null when neither works.
    /// </summary>
    public static async Task<(string Save, string How)?> ReadAsync(Lab lab, CancellationToken ct)
    {
        if (!lab.Options.ForcePortable && lab.Engine.CanReadHostProc && await ReadHereAsync(ct).ConfigureAwait(false) is { } here)
        {
            return (here, "iptables-save on the host");
        }
        return await ReadThroughHelperAsync(lab, ct).ConfigureAwait(false) is { } there ? (there, "iptables-save in a helper on the engine's host") : null;
    }

    /// <summary>
    /// The filter table read by a short-lived <c>dockscript/node</c> container (it carries
    /// xtables; the toolbox does not) in the host's network namespace with NET_ADMIN and NET_RAW:
    /// the route for a remote engine, or when DockScript is not root. Null when it cannot run.
    /// </summary>
    private static async Task<string?> ReadThroughHelperAsync(Lab lab, CancellationToken ct)
    {
        string? id = null;
        try
        {
            await ClusterStart.EnsureImageAsync(lab, ct).ConfigureAwait(false);
            var spec = new ContainerSpec(NodeImage.Name, lab.LabelsFor(new Dictionary<string, string> { [LabLabels.Role] = LabLabels.ProbeRole }))
            {
                NetworkMode = "host",
                CapAdd = ["NET_ADMIN", "NET_RAW"],
                Cmd = ["iptables-save", "-t", "filter"],
            };
            id = await lab.Gateway.Containers.CreateAsync(spec, "create the firewall reader", ct, announce: false).ConfigureAwait(false);
            await lab.Gateway.Containers.StartAsync(id, "start the firewall reader", ct, announce: false).ConfigureAwait(false);
            var code = await lab.Gateway.Containers.WaitAsync(id, "wait for the firewall reader", ct).ConfigureAwait(false);
            var text = await lab.Gateway.Containers.LogsAsync(id, "read the firewall reader's output", ct).ConfigureAwait(false);
            return code == 0 && text.Contains("*filter", StringComparison.Ordinal) ? text : null;
        }
        catch (DockScriptException)
        {
            return null; // no xtables on this machine to build the image from, or the engine refused: the layer says "not read"
        }
        finally
        {
            if (id is not null)
            {
                await lab.Gateway.Containers.TryRemoveAsync(id).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The host's filter table as <c>iptables-save</c> prints it, or null when it cannot be read here.</summary>
    private static async Task<string?> ReadHereAsync(CancellationToken ct)
    {
        var tool = Tools.FirstOrDefault(File.Exists);
        if (tool is null || !OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return null;
        }
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, ["-t", "filter"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }
            var text = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
