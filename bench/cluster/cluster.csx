// Cluster bench (issue 14). Run it with:  bench/cluster/run
// Everything runs on the clusters this script creates (named "<prefix>2" and "<prefix>3"); the
// containers on the overlay use dns 127.0.0.1; cleanup removes the nodes and all they ran.
using System.Diagnostics;

var rounds = Args.Count > 0 ? int.Parse(Args[0]) : 5;
var prefix = Args.Count > 1 ? Args[1] : "bc" + Guid.NewGuid().ToString("N")[..5];
var local = new[] { "127.0.0.1" };

static (int Code, string Out) Sh(string script)
{
    var psi = new ProcessStartInfo("bash", new[] { "-c", script }) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var p = Process.Start(psi)!;
    var o = p.StandardOutput.ReadToEnd(); p.StandardError.ReadToEnd(); p.WaitForExit();
    return (p.ExitCode, o);
}
static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

var rows = new List<string>();
Cluster cluster = null!;

// Time to a ready cluster: 2 nodes, removed again, then 3 nodes (kept for the probes).
foreach (var n in new[] { 2, 3 })
{
    var load = Load();
    var cpu = Cpu();
    var sw = Stopwatch.StartNew();
    cluster = Cluster.Create(nodes: n, name: $"{prefix}{n}");
    var ready = sw.Elapsed.TotalSeconds;
    var used = (Cpu() - cpu).TotalSeconds;
    Console.Error.WriteLine($"{n} nodes ready in {ready:0.0} s (load {load})");
    rows.Add($"| `Cluster.Create(nodes: {n})` to ready | {ready:0.0} s | {used:0.0} s | {load} |");
    if (n == 2) { Lab.Cleanup(); }
}

Console.Error.WriteLine("probing on " + cluster);
var ov = cluster.Networks.Create($"{prefix}-ov", subnet: "10.90.0.0/24");
var boxes = cluster.Nodes.Select((node, i) => node.Containers.Run("dockscript/toolbox", name: $"{prefix}-c{i + 1}", network: ov.Name, command: "sleep 3600", dns: local)).ToList();
var pairs = boxes.SelectMany(a => boxes.Where(b => b != a).Select(b => (From: a, To: b))).ToList();
foreach (var (a, b) in pairs) Assert(Ping(a, b, count: 1).Success, $"{a.Name} reaches {b.Name} before the bench");

// DockScript: every cross-node pair, one ping each, one after another; then Reachability (by IP and name).
var load2 = Load();
var cpu0 = Cpu();
var sw2 = Stopwatch.StartNew();
for (var r = 0; r < rounds; r++) foreach (var (a, b) in pairs) Ping(a, b, count: 1);
var dsPing = sw2.Elapsed.TotalSeconds / (rounds * pairs.Count);
var dsPingCpu = (Cpu() - cpu0).TotalSeconds / (rounds * pairs.Count);
sw2.Restart();
var matrix = Reachability(boxes.ToArray());
for (var r = 1; r < rounds; r++) matrix = Reachability(boxes.ToArray());
var dsReach = sw2.Elapsed.TotalSeconds / rounds;
Assert(matrix.Cells.All(c => c.ReachableByIp && c.ReachableByName), "every cross-node pair answers by IP and by name");

// The anchor: docker exec through each source's node, the CLI a user would type.
var engineOf = boxes.ToDictionary(b => b.Name, b => cluster.Nodes[boxes.IndexOf(b)].Engine.TrimEnd('/'));
var lines = pairs.Select(p => $"{engineOf[p.From.Name]} {p.From.Name} {p.To.IPs[ov.Name]}").ToList();
var file = $"/tmp/{prefix}-pairs";
File.WriteAllLines(file, Enumerable.Repeat(lines, rounds).SelectMany(x => x));
var load3 = Load();
sw2.Restart();
var anchor = Sh($"while read h a b; do docker -H \"$h\" exec \"$a\" ping -c1 -W1 \"$b\" >/dev/null 2>&1 || exit 1; done < {file}");
var cliPing = sw2.Elapsed.TotalSeconds / (rounds * pairs.Count);
File.Delete(file);
Assert(anchor.Code == 0, "docker exec ping answers on every pair");
// Reachability's anchor: the same 6 pings by IP plus 6 by name, one after another, per matrix.
var cliReach = cliPing * pairs.Count * 2;

Console.WriteLine($"## Cluster (3 nodes, one toolbox per node on one overlay; {rounds} rounds; load average {load2} / {load3})");
Console.WriteLine("| measure | wall | CPU of DockScript | load average |");
Console.WriteLine("|---|---|---|---|");
rows.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine("| probe | DockScript | `docker -H node exec … ping` | ratio (CLI / DockScript) |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine($"| one cross-node `Ping(a, b, count: 1)` | {dsPing * 1000:0} ms ({dsPingCpu * 1000:0} ms CPU) | {cliPing * 1000:0} ms | {cliPing / dsPing:0.0}× |");
Console.WriteLine($"| `Reachability` of 3 (6 pairs, by IP and name) | {dsReach:0.00} s | {cliReach:0.00} s (12 execs) | {cliReach / dsReach:0.0}× |");
return 0;
