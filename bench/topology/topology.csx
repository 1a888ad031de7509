// Topology bench (issue 13): ToSvg() of 100 containers on 10 networks (every tenth container on
// two), median of N, against the anchor `dot -Tsvg` run by hand on the same DOT text in the same
// run. Goal: ToSvg() under 1 s. No container is started: the topology is built as data.
using System.Diagnostics;
var runs = Args.Count > 0 ? int.Parse(Args[0]) : 7;
var networks = Enumerable.Range(0, 10).Select(i => new TopologyNetwork($"net{i}", "bridge", $"10.{i}.0.0/16", $"10.{i}.0.1", i == 9, i != 9)).ToList();
var containers = Enumerable.Range(0, 100).Select(i => new TopologyContainer($"c{i}", "dockscript/web", "running",
    i % 10 == 0
        ? new[] { new TopologyEndpoint($"net{i % 10}", $"10.{i % 10}.0.{i + 2}", Array.Empty<string>()), new TopologyEndpoint($"net{(i + 1) % 10}", $"10.{(i + 1) % 10}.1.{i + 2}", Array.Empty<string>()) }
        : new[] { new TopologyEndpoint($"net{i % 10}", $"10.{i % 10}.0.{i + 2}", Array.Empty<string>()) },
    Array.Empty<TopologyLink>(), i % 25 == 0 ? new[] { new PortMapping("127.0.0.1", 8000 + i, 80, "tcp") } : Array.Empty<PortMapping>())).ToList();
var topology = new Topology(networks, containers, new TopologyHost("bench"), null);
var dotFile = Path.GetTempFileName();
File.WriteAllText(dotFile, topology.ToDot());

double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }
var svgMs = new List<double>();
var anchorMs = new List<double>();
topology.ToSvg(); // warm-up: JIT and the page cache
for (var i = 0; i < runs; i++)
{
    var sw = Stopwatch.StartNew();
    var svg = topology.ToSvg();
    svgMs.Add(sw.Elapsed.TotalMilliseconds);
    if (!svg.Contains("c99")) throw new Exception("the SVG lacks c99");
    sw.Restart();
    using (var dot = Process.Start(new ProcessStartInfo("dot", new[] { "-Tsvg", "-o", "/dev/null", dotFile }) { UseShellExecute = false })!)
    {
        dot.WaitForExit();
    }
    anchorMs.Add(sw.Elapsed.TotalMilliseconds);
}
File.Delete(dotFile);
var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
Console.WriteLine($"topology: 100 containers on 10 networks, {runs} runs, load {load}");
Console.WriteLine($"ToSvg():            median {Median(svgMs):0} ms (min {svgMs.Min():0}, max {svgMs.Max():0})");
Console.WriteLine($"anchor dot -Tsvg:   median {Median(anchorMs):0} ms (min {anchorMs.Min():0}, max {anchorMs.Max():0})");
Console.WriteLine($"ratio:              {Median(svgMs) / Median(anchorMs):0.00}");
Console.WriteLine($"goal under 1 s:     {(Median(svgMs) < 1000 ? "met" : "NOT met")}");
