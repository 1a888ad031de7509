#!/usr/bin/env dockscript
// DockScript tour, part 1: the basics of Docker networking, claim by claim.
// Each section replays a claim of the seed tutorial (S1…S14) against the real engine and
// asserts what it shows. Run it with:  scripts/dockscript run scripts/tour/01-basics.csx
// Everything it creates is removed when it ends (add --keep to look around afterwards).

void Section(string id, string title) => Console.WriteLine($"\n── {id} · {title} ──");
void Show(string label, object value) => Console.WriteLine($"   {label,-28} {value}");
string Indent(object value) => "   " + value.ToString()!.Replace("\n", "\n   ");

Console.WriteLine(Lab);

// dns: 127.0.0.1 keeps every by-name lookup of the tour on this machine. Names Docker does not
// know would otherwise go to the host's resolver (the default bridge copies it in, and the
// embedded DNS forwards to it), and a tour has no business asking it about "nginx2".
var local = new[] { "127.0.0.1" };

Section("S1", "docker network ls: the default networks");
Console.WriteLine(Networks);
Assert(Networks["bridge"].Driver == "bridge", "the default 'bridge' network uses the bridge driver");
Assert(Networks["host"].Driver == "host", "'host' uses the host driver");
Assert(Networks["none"].Driver == "null", "'none' uses the null driver");

Section("S2", "bridge: containers on the same bridge talk to each other");
var web1 = Containers.Run("dockscript/web", name: "nginx1", dns: local);
var web2 = Containers.Run("dockscript/web", name: "nginx2", dns: local);
Show("nginx1", web1.IP);
Show("nginx2", web2.IP);
var byIp = Curl(web1, $"http://{web2.IP}/");
Show($"nginx1 → http://{web2.IP}/", byIp);
Assert(byIp.Success && byIp.Body.Trim() == web2.ShortId, "nginx1 reaches nginx2 by IP and gets its hostname back");
var ping = Ping(web1, web2.IP, count: 2);
Show("ping -c 2 nginx2's IP", ping);
Assert(ping.Success && ping.Received == 2, "ping by IP works on the default bridge");
// DockScript's analyzer sees this coming (DS0004); here the failure is the point.
#pragma warning disable DS0004
var byName = Ping(web1, "nginx2", count: 1);
#pragma warning restore DS0004
Show("ping nginx2 by name", byName.Reason);
Assert(byName.Cause == ProbeCause.DefaultBridgeHasNoNames, "the default bridge gives no name resolution");

Section("S3", "docker stats: traffic counters");
var stats = web2.Stats();
Show("nginx2 CPU / memory", $"{stats.CpuPercent:0.00}% / {stats.MemoryBytes / 1024} KiB");
foreach (var nic in stats.Networks)
{
    Show($"nginx2 {nic.Interface} rx / tx", $"{nic.RxBytes} B / {nic.TxBytes} B ({nic.RxPackets} / {nic.TxPackets} packets)");
}
Assert(stats.RxBytes > 0, "nginx2 has received bytes");

Section("S4", "--network host: the host's own stack");
var onHost = Containers.Run("dockscript/web", name: "hostweb", network: "host",
    command: "sh -c 'hostname > /www/index.html && exec httpd -f -p 127.0.0.1:18080 -h /www'", dns: local);
Show("IP of its own", onHost.IP ?? "(none)");
Show("published ports", onHost.Ports.Count == 0 ? "(none: PORTS is empty)" : string.Join(", ", onHost.Ports));
Assert(onHost.IP is null && onHost.Ports.Count == 0, "a host-network container has no IP and no port mappings");
using (var http = new System.Net.Http.HttpClient())
{
    string page = "";
    for (var i = 0; i < 20 && page.Length == 0; i++)
    {
        try { page = http.GetStringAsync("http://127.0.0.1:18080/").Result.Trim(); }
        catch (AggregateException) { Thread.Sleep(100); }
    }
    Show("host → http://127.0.0.1:18080/", $"{page} (the host's own hostname)");
    Assert(page.Length > 0, "its server answers on the host's loopback, no NAT involved");
}

Section("S5", "--network none: loopback only");
var hermit = Containers.Run("dockscript/toolbox", name: "hermit", network: "none", command: "sleep 3600", dns: local);
Show("interfaces inside", string.Join(", ", hermit.Interfaces.Select(i => i.Name)));
Assert(hermit.Interfaces.Select(i => i.Name).SequenceEqual(new[] { "lo" }), "a none container has only lo");
var lonely = Ping(hermit, web1, count: 1);
Show($"ping {web1.IP}", lonely.Reason);
Assert(lonely.Cause == ProbeCause.SourceIsolated, "nothing leaves a none container");
Show("no option given means", string.Join(", ", web1.IPs.Keys));
Assert(web1.IPs.Keys.SequenceEqual(new[] { "bridge" }), "an unspecified network means the default bridge");

Section("S6", "finding a container's IP");
Show("IP (.NetworkSettings.IPAddress)", web1.IP);
Show("IPs (range .Networks)", string.Join(", ", web1.IPs.Select(kv => $"{kv.Key}={kv.Value}")));
foreach (var nic in web1.Interfaces)
{
    Show($"inside: {nic.Name}", string.Join(" ", nic.IPv4));
}
Show("bridge members", string.Join(", ", Networks["bridge"].Containers.Select(kv => $"{kv.Key}={kv.Value}")));
Assert(Networks["bridge"].Containers["nginx1"] == web1.IP, "network inspect lists nginx1 with its IP");
Assert(web1.Interfaces.Any(i => i.IPv4.Any(a => a.StartsWith(web1.IP + "/"))), "the address inside matches inspect");

Section("S7", "IP masquerade");
Show("bridge masquerades", Networks["bridge"].IpMasquerade);
Assert(Networks["bridge"].IpMasquerade, "Docker turns masquerade on for the default bridge");
// The proof: a server outside Docker's networks (DockScript's own, joined to this host by a veth
// pair in 198.18.0.0/15; nothing leaves the machine) says where requests come from.
// Packet captures (local path only: they open a packet socket inside the namespaces) watch the
// same request leave nginx1 and arrive at the outside server.
var wire = Lab.Probes.FastPath;
var insideCap = wire ? Capture(web1, "tcp port 80") : null;
var outsideCap = wire ? CaptureOutside("tcp port 80") : null;
var seen1 = Masquerade(web1);
Show("outside, nginx1 comes from", seen1.SeenAs);
Assert(seen1.Masqueraded && seen1.SeenAs != web1.IP, "outbound traffic from the bridge leaves with the host's IP");
if (wire)
{
    var left = insideCap!.Stop().Packets.First(p => p.Summary == "TCP SYN :80");
    var arrived = outsideCap!.Stop().Packets.First(p => p.Summary == "TCP SYN :80");
    Show("captured inside nginx1", $"{left.Source} > {left.Destination} {left.Summary}");
    Show("captured at the outside", $"{arrived.Source} > {arrived.Destination} {arrived.Summary}");
    Assert(left.Source.StartsWith(web1.IP + ":") && arrived.Source.StartsWith(seen1.HostAddress + ":"),
        "the packets show it: the SYN leaves nginx1 from its own address and arrives outside from the host's");
}
else
{
    Show("packet capture", "needs the local path (root on the engine's host)");
}
var plain = Networks.Create("plain", ipMasquerade: false);
var web6 = Containers.Run("dockscript/web", name: "nginx6", network: "plain", dns: local);
var seen6 = Masquerade(web6);
Show("outside, nginx6 comes from", seen6.SeenAs);
Assert(!seen6.Masqueraded && seen6.SeenAs == web6.IP, "with masquerade off, the outside sees the container's own address");

Section("S8", "NAT: many private addresses behind one");
var seen2 = Masquerade(web2);
Show("nginx1, nginx2 inside", $"{web1.IP}, {web2.IP}");
Show("nginx1, nginx2 outside", $"{seen1.SeenAs}, {seen2.SeenAs}");
Assert(seen1.SeenAs == seen2.SeenAs && web1.IP != web2.IP, "two private addresses share the host's one, as behind a home router");

Section("S11", "--link: a name in /etc/hosts");
var web3 = Containers.Run("dockscript/web", name: "nginx3", links: new[] { "nginx1" }, dns: local);
foreach (var entry in web3.Hosts.Entries.Where(e => e.Names.Contains("nginx1")))
{
    Show("nginx3:/etc/hosts", entry);
}
var linked = Curl(web3, "http://nginx1/");
Show("nginx3 → http://nginx1/", linked);
Show("who answered 'nginx1'", Resolve(web3, "nginx1"));
Assert(Resolve(web3, "nginx1").AnsweredBy == AnsweredBy.HostsFile && linked.Body.Trim() == web1.ShortId,
    "the link writes nginx1's name and IP into nginx3's /etc/hosts, so the name works");

Section("S12", "a user-defined network: names just work");
var net = Networks.Create("my-network");
var web4 = Containers.Run("dockscript/web", name: "nginx4", network: "my-network", dns: local);
var web5 = Containers.Run("dockscript/web", name: "nginx5", network: "my-network", dns: local);
Show("my-network", net);
var named = Curl(web4, "http://nginx5/");
Show("nginx4 → http://nginx5/", named);
Assert(named.Body.Trim() == web5.ShortId, "containers on a user network reach each other by name");

Section("S13", "docker network connect / disconnect");
net.Connect(web1);
var joined = web1.IPs["my-network"];
Show("nginx1 after connect", string.Join(", ", web1.IPs.Select(kv => $"{kv.Key}={kv.Value}")));
Show("ping nginx1 from nginx4", Ping(web4, "nginx1", count: 1));
Assert(Curl(web4, "http://nginx1/").Body.Trim() == web1.ShortId, "once connected, nginx4 reaches nginx1 by name");
net.Disconnect(web1);
Show("nginx1 after disconnect", string.Join(", ", web1.IPs.Select(kv => $"{kv.Key}={kv.Value}")));
var gone = Ping(web4, web1, count: 1);
Show("ping nginx1 from nginx4", gone.Reason);
var oldAddress = Ping(web4, joined, count: 1, timeout: TimeSpan.FromMilliseconds(500));
Show($"ping {joined}", oldAddress.Reason);
Assert(gone.Cause == ProbeCause.NoSharedNetwork && oldAddress.Cause == ProbeCause.AddressVacant, "once disconnected, nginx1 is out of reach");
// Explain walks the layers; DockScript remembers whose address that was.
var whyOld = Explain(web4, joined);
Console.WriteLine(Indent(whyOld));
Assert(!whyOld.Reachable && whyOld.Reason!.Contains($"was nginx1's address on 'my-network'"), "Explain says whose address it was and where nginx1 is now");

Section("S14", "DNS: Docker's embedded server");
Show("nginx4:/etc/resolv.conf", string.Join(" ", web4.ResolvConf.Nameservers));
var dnsCap = wire ? Capture(web4, "udp") : null;
var answered = Resolve(web4, "nginx5");
Show("who answered 'nginx5'", answered);
Assert(answered.AnsweredBy == AnsweredBy.EmbeddedDns, "Docker's embedded DNS answered");
if (wire)
{
    // Inside the container Docker redirects 127.0.0.11:53 to its resolver's real port, so the query shows that port.
    var dnsSeen = dnsCap!.Stop();
    foreach (var p in dnsSeen.Packets)
    {
        Show($"captured on nginx4's {p.Interface}", $"{p.Source} > {p.Destination} {p.Summary}");
    }
    Assert(dnsSeen.Packets.Any(p => p.Summary == "DNS query A nginx5" && p.Destination.StartsWith("127.0.0.11:"))
        && dnsSeen.Packets.Any(p => p.Summary == $"DNS answer nginx5 = {web5.IP}" && p.Source == "127.0.0.11:53"),
        "the capture shows the query going to 127.0.0.11 and the embedded DNS answering it");
}
Show("nginx2:/etc/resolv.conf", string.Join(" ", web2.ResolvConf.Nameservers));
Show("nginx1:/etc/resolv.conf", string.Join(" ", web1.ResolvConf.Nameservers) + " (kept since it joined my-network)");
Assert(web4.ResolvConf.UsesEmbeddedDns, "on a user network, 127.0.0.11 answers names");
Assert(!web2.ResolvConf.UsesEmbeddedDns, "on the default bridge alone there is no embedded DNS (the host's resolvers, or --dns, instead)");
var whyName = Explain(web2, "nginx5", port: 80);
Console.WriteLine(Indent(whyName));
Assert(whyName.Cause == ProbeCause.NameOnOtherNetwork && whyName.Reason!.Contains("Networks[\"my-network\"].Connect(\"nginx2\")"),
    "Explain names the network that knows 'nginx5', and the fix");

Section("S2–S14", "who reaches whom, at a glance");
var matrix = Reachability(web1, web2, web3, web4, web5, hermit);
Console.WriteLine(matrix.Grid);
Show("nginx3 → nginx4", matrix["nginx3", "nginx4"].ByIp.Reason);
Show("nginx4 → 'nginx1'", matrix["nginx4", "nginx1"].ByName!.Reason);
Assert(matrix["nginx3", "nginx1"].Mark == "ip+name" && matrix["nginx4", "nginx5"].Mark == "ip+name" && matrix["nginx1", "nginx4"].Mark == "-",
    "a link or a user network gives names; sharing no network gives nothing");

Section("Topology", "the whole lab as one picture, the matrix drawn over it");
var picture = Topology(web1, web2, web3, web4, web5, web6, onHost, hermit).WithReachability(matrix);
Console.WriteLine(picture);
Assert(picture.Network("none")!.Style == "none" && picture.Network("my-network")!.Masquerade && !picture.Network("plain")!.Masquerade,
    "the picture tells none, masquerading and plain networks apart");
// `dockscript run scripts/tour/01-basics.csx -- tour.svg` also draws it (.svg, .mmd or .dot).
if (Args.Count > 0)
{
    Show("picture", picture.Save(Args[0]));
}

Console.WriteLine("\nAll claims held. What this tour created:");
Console.WriteLine("   " + string.Join(", ", Lab.Created));
