#!/usr/bin/env dockscript
// Benchmark copy of scripts/tour/01-basics.csx: the same calls, with every name prefixed (first
// argument, default "rn-bench-") and its own host port, so a benchmark never clashes with a tour
// or a test running on the same engine. Keep it in step with the tour.
var P = Args.FirstOrDefault() ?? "rn-bench-";
// DockScript tour, part 1: the basics of Docker networking, claim by claim.
// Each section replays a claim of the seed tutorial (S1…S14) against the real engine and
// asserts what it shows. Run it with:  scripts/dockscript run scripts/tour/01-basics.csx
// Everything it creates is removed when it ends (add --keep to look around afterwards).

void Section(string id, string title) => Console.WriteLine($"\n── {id} · {title} ──");
void Show(string label, object value) => Console.WriteLine($"   {label,-28} {value}");

Console.WriteLine(Lab);

Section("S1", "docker network ls: the default networks");
Console.WriteLine(Networks);
Assert(Networks["bridge"].Driver == "bridge", "the default 'bridge' network uses the bridge driver");
Assert(Networks["host"].Driver == "host", "'host' uses the host driver");
Assert(Networks["none"].Driver == "null", "'none' uses the null driver");

Section("S2", "bridge: containers on the same bridge talk to each other");
var web1 = Containers.Run("dockscript/web", name: $"{P}nginx1");
var web2 = Containers.Run("dockscript/web", name: $"{P}nginx2");
Show($"{P}nginx1", web1.IP);
Show($"{P}nginx2", web2.IP);
var byIp = web1.Exec($"wget -q -O - http://{web2.IP}/");
Show($"{P}nginx1 → http://{web2.IP}/", byIp.Stdout.Trim());
Assert(byIp.Success && byIp.Stdout.Trim() == web2.ShortId, $"{P}nginx1 reaches {P}nginx2 by IP and gets its hostname back");
var ping = web1.Exec($"ping -c 2 {web2.IP}");
Show($"ping -c 2 {P}nginx2's IP", ping.Stdout.Split('\n').FirstOrDefault(l => l.Contains("packets")));
Assert(ping.Success, "ping by IP works on the default bridge");
// By name there is nobody to ask: nginx2 is in no hosts file, and the default bridge has no
// embedded DNS (the tour makes no lookup here, so nothing is sent to the host's resolver).
Show($"'{P}nginx2' in {P}nginx1's hosts", web1.Hosts.Contains($"{P}nginx2") ? "yes" : "no");
Show($"{P}nginx1's nameservers", string.Join(" ", web1.ResolvConf.Nameservers) + " (the host's, not Docker's)");
Assert(!web1.Hosts.Contains($"{P}nginx2") && !web1.ResolvConf.UsesEmbeddedDns, "the default bridge gives no name resolution");

Section("S3", "docker stats: traffic counters");
var stats = web2.Stats();
Show($"{P}nginx2 CPU / memory", $"{stats.CpuPercent:0.00}% / {stats.MemoryBytes / 1024} KiB");
foreach (var nic in stats.Networks)
{
    Show($"{P}nginx2 {nic.Interface} rx / tx", $"{nic.RxBytes} B / {nic.TxBytes} B ({nic.RxPackets} / {nic.TxPackets} packets)");
}
Assert(stats.RxBytes > 0, $"{P}nginx2 has received bytes");

Section("S4", "--network host: the host's own stack");
var onHost = Containers.Run("dockscript/web", name: $"{P}hostweb", network: "host",
    command: "sh -c 'hostname > /www/index.html && exec httpd -f -p 127.0.0.1:18181 -h /www'");
Show("IP of its own", onHost.IP ?? "(none)");
Show("published ports", onHost.Ports.Count == 0 ? "(none: PORTS is empty)" : string.Join(", ", onHost.Ports));
Assert(onHost.IP is null && onHost.Ports.Count == 0, "a host-network container has no IP and no port mappings");
using (var http = new System.Net.Http.HttpClient())
{
    string page = "";
    for (var i = 0; i < 20 && page.Length == 0; i++)
    {
        try { page = http.GetStringAsync("http://127.0.0.1:18181/").Result.Trim(); }
        catch (AggregateException) { Thread.Sleep(100); }
    }
    Show("host → http://127.0.0.1:18181/", $"{page} (the host's own hostname)");
    Assert(page.Length > 0, "its server answers on the host's loopback, no NAT involved");
}

Section("S5", "--network none: loopback only");
var hermit = Containers.Run("dockscript/toolbox", name: $"{P}hermit", network: "none", command: "sleep 3600");
Show("interfaces inside", string.Join(", ", hermit.Interfaces.Select(i => i.Name)));
Assert(hermit.Interfaces.Select(i => i.Name).SequenceEqual(new[] { "lo" }), "a none container has only lo");
var lonely = hermit.Exec($"ping -c 1 -W 1 {web1.IP}");
Show($"ping {web1.IP}", lonely.Success ? "answered?!" : "no route: it cannot talk to anyone");
Assert(!lonely.Success, "nothing leaves a none container");
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
Assert(Networks["bridge"].Containers[$"{P}nginx1"] == web1.IP, $"network inspect lists {P}nginx1 with its IP");
Assert(web1.Interfaces.Any(i => i.IPv4.Any(a => a.StartsWith(web1.IP + "/"))), "the address inside matches inspect");

Section("S7", "IP masquerade");
Show("bridge masquerades", Networks["bridge"].IpMasquerade);
Assert(Networks["bridge"].IpMasquerade, "outbound traffic from the bridge leaves with the host's IP");

Section("S11", "--link: a name in /etc/hosts");
var web3 = Containers.Run("dockscript/web", name: $"{P}nginx3", links: new[] { $"{P}nginx1" });
foreach (var entry in web3.Hosts.Entries.Where(e => e.Names.Contains($"{P}nginx1")))
{
    Show($"{P}nginx3:/etc/hosts", entry);
}
var linked = web3.Exec($"wget -q -O - http://{P}nginx1/");
Show($"{P}nginx3 → http://{P}nginx1/", linked.Stdout.Trim());
Assert(web3.Hosts.Lookup($"{P}nginx1").SequenceEqual(new[] { web1.IP! }) && linked.Stdout.Trim() == web1.ShortId,
    $"the link writes {P}nginx1's name and IP into {P}nginx3's /etc/hosts, so the name works");

Section("S12", "a user-defined network: names just work");
var net = Networks.Create($"{P}my-network");
var web4 = Containers.Run("dockscript/web", name: $"{P}nginx4", network: $"{P}my-network");
var web5 = Containers.Run("dockscript/web", name: $"{P}nginx5", network: $"{P}my-network");
Show($"{P}my-network", net);
var named = web4.Exec($"wget -q -O - http://{P}nginx5/");
Show($"{P}nginx4 → http://{P}nginx5/", named.Stdout.Trim());
Assert(named.Stdout.Trim() == web5.ShortId, "containers on a user network reach each other by name");

Section("S13", "docker network connect / disconnect");
net.Connect(web1);
var joined = web1.IPs[$"{P}my-network"];
Show($"{P}nginx1 after connect", string.Join(", ", web1.IPs.Select(kv => $"{kv.Key}={kv.Value}")));
Assert(web4.Exec($"wget -q -O - http://{P}nginx1/").Stdout.Trim() == web1.ShortId, $"once connected, {P}nginx4 reaches {P}nginx1 by name");
net.Disconnect(web1);
Show($"{P}nginx1 after disconnect", string.Join(", ", web1.IPs.Select(kv => $"{kv.Key}={kv.Value}")));
var gone = web4.Exec($"timeout 2 wget -q -O - http://{joined}/");
Show($"{P}nginx4 → http://{joined}/", gone.Success ? "answered?!" : $"no answer: the address left with {P}nginx1");
Assert(!gone.Success && !net.Containers.ContainsKey($"{P}nginx1"), $"once disconnected, {P}nginx1 is out of reach");

Section("S14", "DNS: Docker's embedded server");
Show($"{P}nginx4:/etc/resolv.conf", string.Join(" ", web4.ResolvConf.Nameservers));
Show($"{P}nginx2:/etc/resolv.conf", string.Join(" ", web2.ResolvConf.Nameservers));
Show($"{P}nginx1:/etc/resolv.conf", string.Join(" ", web1.ResolvConf.Nameservers) + $" (kept since it joined {P}my-network)");
Assert(web4.ResolvConf.UsesEmbeddedDns, "on a user network, 127.0.0.11 answers names");
Assert(!web2.ResolvConf.UsesEmbeddedDns, "on the default bridge alone, the host's resolvers are copied in instead");

Console.WriteLine("\nAll claims held. What this tour created:");
Console.WriteLine("   " + string.Join(", ", Lab.Created));
