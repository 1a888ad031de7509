// Capture overhead: a ping's round trip with a capture running in the source's namespace against
// one without, measured in the same run, interleaved in rounds so load from elsewhere hits both
// alike. Run it with:  bench/capture/run [rounds=10] [pings-per-round=200]
// Everything runs on containers and a network this script creates (names start with "capb-").
int Rounds = Args.Count > 0 ? int.Parse(Args[0]) : 10;
int Pings = Args.Count > 1 ? int.Parse(Args[1]) : 200;
var local = new[] { "127.0.0.1" };

static double Median(List<double> xs) { xs.Sort(); return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2; }
static double Percentile(List<double> xs, double p) { xs.Sort(); return xs[(int)Math.Min(xs.Count - 1, Math.Round(p * (xs.Count - 1)))]; }

Networks.Create("capb-net");
var a = Containers.Run("dockscript/toolbox", name: "capb-a", network: "capb-net", command: "sleep 3600", dns: local);
var b = Containers.Run("dockscript/web", name: "capb-b", network: "capb-net", dns: local);
if (!Lab.Probes.FastPath) { Console.Error.WriteLine("bench: capture needs the local path (root next to the engine)."); return 1; }

List<double> Rtts(int n)
{
    var xs = new List<double>(n);
    for (var i = 0; i < n; i++)
    {
        var ping = Ping(a, b, count: 1);
        if (!ping.Success) throw new Exception("ping failed: " + ping);
        xs.Add(ping.Rtt!.Avg.TotalMilliseconds);
    }
    return xs;
}

Rtts(50); // warm: namespace entry, the shared ping socket, JIT
var without = new List<double>();
var with = new List<double>();
var captured = 0;
long dropped = 0;
for (var round = 0; round < Rounds; round++)
{
    without.AddRange(Rtts(Pings));
    var cap = Capture(a, "icmp");
    with.AddRange(Rtts(Pings));
    var seen = cap.Stop();
    captured += seen.Packets.Count;
    dropped += seen.Dropped;
}
// The capture must have seen every echo it claims to have slowed: a request and a reply each.
if (captured != 2 * Rounds * Pings) throw new Exception($"the captures saw {captured} ICMP packets, not {2 * Rounds * Pings} (the kernel dropped {dropped})");

var (m0, m1) = (Median(without), Median(with));
var (p0, p1) = (Percentile(without, 0.9), Percentile(with, 0.9));
Console.WriteLine($"## Ping round trip, a → b on one network, {Rounds} rounds of {Pings} pings each way (interleaved)");
Console.WriteLine("| | median RTT | p90 RTT |");
Console.WriteLine("|---|---|---|");
Console.WriteLine($"| no capture | {m0:0.000} ms | {p0:0.000} ms |");
Console.WriteLine($"| `Capture(a, \"icmp\")` running | {m1:0.000} ms | {p1:0.000} ms |");
Console.WriteLine($"| difference | **{m1 - m0:+0.000;-0.000} ms** ({m1 / m0:0.00}×) | {p1 - p0:+0.000;-0.000} ms |");
Console.WriteLine();
Console.WriteLine($"captured {captured} ICMP packets; goal: the median stays within 0.1 ms: {(Math.Abs(m1 - m0) <= 0.1 ? "met" : "NOT met")}");
return Math.Abs(m1 - m0) <= 0.1 ? 0 : 2;
