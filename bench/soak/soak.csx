// The probe half of the soak (bench/soak/run starts it): one session with many containers on
// several networks, thousands of probes on both paths (a tenth failing on purpose), dockerd
// restarted in the middle, then cleanup. Prints one line per measurement, "soak: key value",
// for the runner's table. Everything it creates is named "sk-…".
//   args: containers networks probes restarts(0|1) restart-command
using System.Diagnostics;

int N = int.Parse(Args[0]), Nets = int.Parse(Args[1]), P = int.Parse(Args[2]);
bool restarts = Args[3] == "1";
string restartCommand = Args[4];

static int Fds() => Directory.GetFiles("/proc/self/fd").Length;
static int Threads() => Directory.GetDirectories("/proc/self/task").Length;
static double RssMb() => Process.GetCurrentProcess().WorkingSet64 / 1048576.0;
void Say(string key, object value) => Console.WriteLine($"soak: {key} {value}");

Say("pid", Environment.ProcessId);
GC.Collect(); GC.WaitForPendingFinalizers();
Say("fds-before", Fds()); Say("threads-before", Threads()); Say("rss-before", RssMb().ToString("0"));
double maxRss = 0; int maxFds = 0, maxThreads = 0;
var sampler = new Timer(_ => { maxRss = Math.Max(maxRss, RssMb()); maxFds = Math.Max(maxFds, Fds()); maxThreads = Math.Max(maxThreads, Threads()); }, null, 0, 500);

var portableLab = await Lab.StartAsync(new LabOptions { ForcePortable = true, SessionId = Lab.SessionId, Dns = ["127.0.0.1"] });
var clock = Stopwatch.StartNew();
var nets = Enumerable.Range(0, Nets).Select(i => Networks.Create($"sk-net{i:00}")).ToList();
var boxes = new List<Container>();
for (var i = 0; i < N; i++)
{
    // Alternate rows of web and toolbox containers, so every network has both kinds.
    boxes.Add(i / Nets % 2 == 0
        ? Containers.Run("dockscript/web", name: $"sk-c{i:000}", network: nets[i % Nets].Name)
        : Containers.Run("dockscript/toolbox", name: $"sk-c{i:000}", network: nets[i % Nets].Name, command: "sleep 86400"));
}
// Each container probes a web container on its own network (itself, when it is the only one).
var targetOf = boxes.Select((c, i) => boxes.Where((b, j) => j % Nets == i % Nets && j / Nets % 2 == 0 && j != i).DefaultIfEmpty(boxes[i % Nets]).First()).ToList();
Say("setup-s", clock.Elapsed.TotalSeconds.ToString("0.0"));

int ok = 0, failedOnPurpose = 0, failedOtherwise = 0, threw = 0;
async Task ProbeAsync(int k)
{
    var probes = k % 2 == 0 ? Lab.Probes : portableLab.Probes;
    // Even k on the namespace path, odd k on the helper path.
    var src = boxes[k / 2 % boxes.Count];
    var target = targetOf[k / 2 % boxes.Count];
    try
    {
        bool success, meantToFail = k % 20 is 9 or 10; // a tenth, on both paths
        if (meantToFail)
        {
            success = (await probes.CurlAsync(src, $"http://{target.IP}:81/", TimeSpan.FromSeconds(2))).Success; // refused
        }
        else
        {
            success = (k / 2 % 3) switch
            {
                0 => (await probes.PingAsync(src, target, count: 1, timeout: TimeSpan.FromSeconds(2))).Success,
                1 => (await probes.CurlAsync(src, $"http://{target.IP}/", TimeSpan.FromSeconds(2))).Success,
                _ => (await probes.ResolveAsync(src, target.Name, TimeSpan.FromSeconds(2))).Success,
            };
        }
        if (success && !meantToFail) Interlocked.Increment(ref ok);
        else if (!success && meantToFail) Interlocked.Increment(ref failedOnPurpose);
        else Interlocked.Increment(ref failedOtherwise);
    }
    catch (DockScriptException)
    {
        Interlocked.Increment(ref threw); // e.g. the engine restarting: one sentence, the session goes on
    }
}

async Task RestartEngineAsync(int n)
{
    var sw = Stopwatch.StartNew();
    using (var p = Process.Start("sh", ["-c", restartCommand])!) { await p.WaitForExitAsync(); Say($"restart{n}-exit", p.ExitCode); }
    // Containers without a restart policy stay stopped: start them again, as a user would.
    foreach (var c in boxes)
    {
        try { await c.StartAsync(); } catch (DockScriptException e) { Say("start-failed", e.Message); }
    }
    Say($"restart{n}-s", sw.Elapsed.TotalSeconds.ToString("0.0"));
}

clock.Restart();
const int Parallel = 8;
for (var start = 0; start < P; start += Parallel)
{
    if (restarts && (start == P / 3 / Parallel * Parallel || start == 2 * P / 3 / Parallel * Parallel) && start > 0)
    {
        await RestartEngineAsync(start < P / 2 ? 1 : 2);
    }
    await Task.WhenAll(Enumerable.Range(start, Math.Min(Parallel, P - start)).Select(ProbeAsync));
}
Say("probes-s", clock.Elapsed.TotalSeconds.ToString("0.0"));
Say("probes-ok", ok); Say("probes-failed-on-purpose", failedOnPurpose); Say("probes-failed-otherwise", failedOtherwise); Say("probes-threw", threw);

var report = await Lab.CleanupAsync();
Say("cleanup", report.ToString().Length > 120 ? report.ToString()[..120] + "…" : report.ToString());
portableLab.Dispose();
sampler.Dispose();
GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
Say("fds-after", Fds()); Say("threads-after", Threads()); Say("rss-after", RssMb().ToString("0"));
Say("fds-max", maxFds); Say("threads-max", maxThreads); Say("rss-max", maxRss.ToString("0"));
return 0;
