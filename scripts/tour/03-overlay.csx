#!/usr/bin/env dockscript
// DockScript tour, part 3: across hosts. A Docker Swarm of three engines on this one machine
// (nested engines in containers: no VM, no registry), an overlay network over VXLAN between
// them, a service and its tasks, what a service's virtual IP needs, and who reaches whom across
// nodes. Run it with:  scripts/dockscript run scripts/tour/03-overlay.csx [cluster-name]
// It takes two to three minutes (three whole engines start). Everything it creates is removed
// when it ends: the nodes, and with them all that ran inside them.

void Section(string id, string title) => Console.WriteLine($"\n── {id} · {title} ──");
void Show(string label, object value) => Console.WriteLine($"   {label,-30} {value}");
string Indent(object value) => "   " + value.ToString()!.Replace("\n", "\n   ");

var name = Args.Count > 0 ? Args[0] : "tour";
// dns: 127.0.0.1 keeps every lookup on this machine: names the embedded DNS does not know stop here.
var local = new[] { "127.0.0.1" };

Section("O1", "a cluster of three nodes");
var cluster = Cluster.Create(nodes: 3, name: name);
foreach (var node in cluster.Nodes)
{
    Show(node.Name, $"{node.Role}, advertises {node.Address}, engine {node.Engine}");
}
Console.WriteLine(Indent(string.Join("\n", cluster.Status())));
Assert(cluster.Nodes.Count == 3 && cluster.Nodes.Count(n => n.Role == NodeRole.Manager) == 1, "one manager and two workers");
Assert(cluster.Status().All(l => l.Contains(" ready ")), "the manager lists every node ready");

Section("O2", "an overlay network spans every node");
var ov = cluster.Networks.Create($"{name}-ov", driver: "overlay", attachable: true, subnet: "10.60.0.0/24");
Show(ov.Name, ov);
Assert(ov.Driver == "overlay" && ov.Scope == "swarm" && ov.Attachable, "a Swarm-scope overlay that plain containers may join");
var c1 = cluster.Nodes[0].Containers.Run("dockscript/web", name: "c1", network: ov.Name, dns: local);
var c3 = cluster.Nodes[2].Containers.Run("dockscript/web", name: "c3", network: ov.Name, dns: local);
Show($"c1 on {cluster.Nodes[0].Name}", c1.IPs[ov.Name]);
Show($"c3 on {cluster.Nodes[2].Name}", c3.IPs[ov.Name]);
var across = Ping(c1, c3, count: 2);
Show("c1 → c3 (by IP, over VXLAN)", across);
Assert(across.Success && across.Source.EndsWith("@" + cluster.Nodes[0].Name), "a container reaches one on another node, and the result names the node");
var byName = Curl(c3, "http://c1/");
Show("c3 → http://c1/", byName);
Assert(byName.Success && byName.Body.Trim() == c1.ShortId, "the overlay's DNS knows containers of every node by name");

Section("O3", "a service and its tasks");
var web = cluster.Services.Create("web", "dockscript/web", replicas: 3, network: ov.Name, endpointMode: EndpointMode.Dnsrr);
foreach (var task in web.Tasks.Where(t => t.Running))
{
    Show($"task {task.Slot}", $"on {task.Node}, {task.IP}");
}
Assert(web.Tasks.Count(t => t.Running) == 3, "three replicas run");
var probe = cluster.Nodes[1].Containers.Run("dockscript/toolbox", name: "probe", network: ov.Name, command: "sleep 3600", dns: local);
var ips = web.Tasks.Where(t => t.Running).Select(t => t.IP!).OrderBy(ip => ip).ToList();
var rr = Resolve(probe, "web");
var tasks = Resolve(probe, "tasks.web");
Show("Resolve(probe, \"web\")", string.Join(", ", rr.Addresses));
Show("Resolve(probe, \"tasks.web\")", string.Join(", ", tasks.Addresses));
Assert(rr.Addresses.OrderBy(a => a).SequenceEqual(ips) && tasks.Addresses.OrderBy(a => a).SequenceEqual(ips),
    "with DNS round-robin the name, like tasks.web, gives every task's address");
var spread = Spread(probe, "http://web/", 15);
Console.WriteLine(Indent(spread));
Assert(spread.Failed == 0 && spread.Answers.Count >= 1, "requests to the name reach the tasks, and each answer names its task");

Section("O4", "what a virtual IP needs");
var api = cluster.Services.Create("api", "dockscript/web", replicas: 2, network: ov.Name, endpointMode: EndpointMode.Vip);
var vip = api.VirtualIPs[ov.Name];
Show("api's virtual IP", vip);
Assert(Resolve(probe, "api").Addresses.SequenceEqual(new[] { vip }), "with a VIP the name gives one address, not the tasks'");
Assert(Resolve(probe, "tasks.api").Addresses.Count == 2, "tasks.api still gives every task");
var viaVip = Curl(probe, "http://api/", TimeSpan.FromSeconds(2));
Show("probe → http://api/", viaVip.Success ? viaVip.ToString() : viaVip.Reason!);
if (viaVip.Success)
{
    Assert(viaVip.Success, "this kernel has IPVS: the VIP balances over the tasks");
}
else
{
    // This machine's kernel has no IPVS: the VIP takes the connection and nothing answers.
    Assert(viaVip.Cause == ProbeCause.VipWithoutIpvs, "no IPVS here: the VIP cannot answer, and DockScript says why and what to use instead");
}

Section("O5", "who reaches whom, across nodes");
var matrix = Reachability(c1, probe, c3);
Console.WriteLine(matrix.Grid);
Assert(matrix.Cells.All(c => c.ReachableByIp && c.ReachableByName), "on one overlay every node's containers reach each other by IP and by name");

Console.WriteLine("\nAll claims held. What this tour created on this engine:");
Console.WriteLine("   " + string.Join(", ", Lab.Created));
