// Probe benchmark: the fast (namespace) and portable (helper) paths against the docker CLI,
// measured in the same run. Run it with:  bench/probes/run
// Everything runs on containers and a network this script creates (names start with "bp-").
using System.Diagnostics;

int Iterations = Args.Count > 0 ? int.Parse(Args[0]) : 50;
int Fleet = Args.Count > 1 ? int.Parse(Args[1]) : 20;
int LeakPings = Args.Count > 2 ? int.Parse(Args[2]) : 10_000;
var local = new[] { "127.0.0.1" };

static double Median(List<double> xs) { xs.Sort(); return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2; }
static (int Code, string Out) Cli(string args)
{
    var psi = new ProcessStartInfo("docker", args) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var p = Process.Start(psi)!;
    var o = p.StandardOutput.ReadToEnd(); p.StandardError.ReadToEnd(); p.WaitForExit();
    return (p.ExitCode, o);
}
static int OpenFds() => Directory.GetFiles("/proc/self/fd").Length;

var net = Networks.Create("bp-net");
var a = Containers.Run("dockscript/toolbox", name: "bp-a", network: "bp-net", command: "sleep 3600", dns: local);
var b = Containers.Run("dockscript/web", name: "bp-b", network: "bp-net", dns: local);
var portableLab = await Lab.StartAsync(new LabOptions { ForcePortable = true, SessionId = Lab.SessionId, Dns = local });
var fast = Lab.Probes;
var portable = portableLab.Probes;
if (!fast.FastPath) { Console.Error.WriteLine("bench: the namespace path needs a local engine and root."); return 1; }

// Warm up each path once (namespace entry, helper start, JIT).
fast.Ping(a, b, count: 1); portable.Ping(a, b, count: 1); Cli("exec bp-a ping -c1 bp-b");

List<double> Time(Action act) { var xs = new List<double>(); for (var i = 0; i < Iterations; i++) { var sw = Stopwatch.StartNew(); act(); xs.Add(sw.Elapsed.TotalMilliseconds); } return xs; }
var fastMs = Median(Time(() => { if (!fast.Ping(a, b, count: 1).Success) throw new Exception("fast ping failed"); }));
var portableMs = Median(Time(() => { if (!portable.Ping(a, b, count: 1).Success) throw new Exception("portable ping failed"); }));
var cliMs = Median(Time(() => { if (Cli("exec bp-a ping -c1 bp-b").Code != 0) throw new Exception("cli ping failed"); }));

Console.WriteLine($"## Ping(a, b, count: 1), median of {Iterations}");
Console.WriteLine($"| path | median | vs docker exec ping |");
Console.WriteLine($"|---|---|---|");
Console.WriteLine($"| namespace (setns) | {fastMs:0.000} ms | {fastMs / cliMs:0.000}x |");
Console.WriteLine($"| helper (portable) | {portableMs:0.0} ms | {portableMs / cliMs:0.00}x |");
Console.WriteLine($"| `docker exec bp-a ping -c1 bp-b` | {cliMs:0.0} ms | 1x |");

// Reachability of a fleet, by IP, against a plain CLI loop doing the same pings.
var fleet = Enumerable.Range(0, Fleet).Select(i => Containers.Run("dockscript/toolbox", name: $"bp-f{i:00}", network: "bp-net", command: "sleep 3600", dns: local)).ToArray();
fast.Reachability(fleet.Take(2).ToList(), byName: false); // warm
var sw = Stopwatch.StartNew();
var m = fast.Reachability(fleet, byName: false);
var reachFast = sw.Elapsed.TotalMilliseconds;
if (m.Failures.Count > 0) throw new Exception("the fleet should reach itself: " + m.Summary);
sw.Restart();
var mp = portable.Reachability(fleet, byName: false);
var reachPortable = sw.Elapsed.TotalMilliseconds;
var ips = fleet.Select(c => c.IP!).ToArray();
sw.Restart();
var cliOk = 0;
for (var i = 0; i < Fleet; i++) for (var j = 0; j < Fleet; j++) if (i != j && Cli($"exec {fleet[i].Name} ping -c1 -W1 {ips[j]}").Code == 0) cliOk++;
var reachCli = sw.Elapsed.TotalMilliseconds;
var pairs = Fleet * (Fleet - 1);
Console.WriteLine();
Console.WriteLine($"## Reachability of {Fleet} containers ({pairs} ordered pairs, by IP)");
Console.WriteLine($"| way | wall | pairs reachable | speed-up vs CLI loop |");
Console.WriteLine($"|---|---|---|---|");
Console.WriteLine($"| Reachability, namespace | {reachFast:0} ms | {m.Cells.Count(c => c.ReachableByIp)} | {reachCli / reachFast:0}x |");
Console.WriteLine($"| Reachability, helper | {reachPortable:0} ms | {mp.Cells.Count(c => c.ReachableByIp)} | {reachCli / reachPortable:0.0}x |");
Console.WriteLine($"| bash loop of `docker exec … ping -c1` | {reachCli:0} ms | {cliOk} | 1x |");

// Leaks: many pings in one process leave descriptors and helper containers flat.
int HelperContainers() => Docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true }).Result
    .Count(c => c.Labels.TryGetValue("io.dockscript.role", out var r) && r == "probe");
GC.Collect(); GC.WaitForPendingFinalizers();
var fd0 = OpenFds(); var h0 = HelperContainers();
for (var i = 0; i < LeakPings; i++) fast.Ping(a, b, count: 1);
for (var i = 0; i < LeakPings / 20; i++) portable.Ping(a, b, count: 1);
GC.Collect(); GC.WaitForPendingFinalizers();
var fd1 = OpenFds(); var h1 = HelperContainers();
Console.WriteLine();
Console.WriteLine($"## Leaks after {LeakPings} namespace pings and {LeakPings / 20} helper pings");
Console.WriteLine($"| | before | after |");
Console.WriteLine($"|---|---|---|");
Console.WriteLine($"| open file descriptors | {fd0} | {fd1} |");
Console.WriteLine($"| probe helper containers | {h0} | {h1} |");
Console.WriteLine($"| RSS | | {Environment.WorkingSet / 1024 / 1024} MB |");
portableLab.Dispose();
return fd1 - fd0 > 5 || h1 != h0 ? 1 : 0;
