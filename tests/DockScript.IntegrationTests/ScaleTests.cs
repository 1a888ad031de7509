using System.Diagnostics;

namespace DockScript.IntegrationTests;

/// <summary>
/// Issue 11 at test scale: a matrix read from one reading of the engine gives the same causes as
/// single pings and re-reads what changed under it; RunMany starts many at once; a parallel
/// cleanup keeps what is not its own. (The timings belong to bench/scale.)
/// </summary>
public sealed class ScaleTests(EngineFixture fx) : EngineTest(fx)
{
    [Theory, MemberData(nameof(Paths))]
    public async Task A_matrix_gives_the_same_causes_and_reasons_as_single_pings(string path)
    {
        await using var portable = path == "helper" ? await Fx.PortableViewAsync() : null;
        var probes = portable?.Probes ?? Lab.Probes;
        Assert.Equal(path == "namespace", probes.FastPath);
        var one = Networks.Create(Name($"same-1-{path}"));
        var two = Networks.Create(Name($"same-2-{path}"));
        var a = Containers.Run("dockscript/web", name: Name($"same-a-{path}"), network: one.Name);
        var b = Containers.Run("dockscript/web", name: Name($"same-b-{path}"), network: one.Name);
        var c = Containers.Run("dockscript/web", name: Name($"same-c-{path}"), network: two.Name);
        var d = Containers.Run("dockscript/web", name: Name($"same-d-{path}"));
        var hermit = Containers.Run("dockscript/toolbox", name: Name($"same-h-{path}"), network: "none", command: "sleep 3600");
        var stopped = Containers.Run("dockscript/web", name: Name($"same-s-{path}"), network: one.Name);
        stopped.Stop();
        var all = new[] { a, b, c, d, hermit, stopped };
        var timeout = TimeSpan.FromMilliseconds(500);

        var matrix = await probes.ReachabilityAsync(all, timeout: timeout);
        var pairs = all.SelectMany(f => all.Where(t => t != f).Select(t => (From: f, To: t))).ToList();
        var single = await Task.WhenAll(pairs.Select(async p => (
            p.From, p.To,
            ByIp: await probes.PingAsync(p.From, p.To, count: 1, timeout: timeout),
            ByName: await probes.PingAsync(p.From, p.To.Name, count: 1, timeout: timeout))));

        Assert.Equal(30, matrix.Cells.Count);
        foreach (var (from, to, byIp, byName) in single)
        {
            var cell = matrix[from.Name, to.Name];
            Assert.True(byIp.Cause == cell.ByIp.Cause, $"{from.Name} → {to.Name} by IP: Ping says {byIp.Cause} ({byIp.Reason}), the matrix {cell.ByIp.Cause} ({cell.ByIp.Reason})");
            Assert.Equal(Timeless(byIp.Reason), Timeless(cell.ByIp.Reason));
            Assert.True(byName.Cause == cell.ByName!.Cause, $"{from.Name} → {to.Name} by name: Ping says {byName.Cause} ({byName.Reason}), the matrix {cell.ByName.Cause} ({cell.ByName.Reason})");
            Assert.Equal(Timeless(byName.Reason), Timeless(cell.ByName.Reason));
        }
        // The pairs cover the causes that matter, so the comparison above compares something.
        Assert.True(matrix[a.Name, b.Name].ReachableByName);
        Assert.Equal(ProbeCause.NoSharedNetwork, matrix[a.Name, c.Name].ByIp.Cause);
        Assert.Equal(ProbeCause.DefaultBridgeHasNoNames, matrix[d.Name, a.Name].ByName!.Cause);
        Assert.Equal(ProbeCause.SourceIsolated, matrix[hermit.Name, a.Name].ByIp.Cause);
        Assert.Equal(ProbeCause.TargetNotRunning, matrix[a.Name, stopped.Name].ByIp.Cause);
        Assert.Equal(ProbeCause.SourceNotRunning, matrix[stopped.Name, a.Name].ByName!.Cause);
    }

    [Fact]
    public async Task A_container_stopped_while_the_matrix_runs_has_its_cells_read_again()
    {
        await using var other = await Fx.OtherSessionAsync();
        var net = await other.Networks.CreateAsync(Name("mid-net"));
        var far = await other.Networks.CreateAsync(Name("mid-far"));
        var a = await other.Containers.RunAsync("dockscript/web", name: Name("mid-a"), network: net.Name);
        var b = await other.Containers.RunAsync("dockscript/web", name: Name("mid-b"), network: net.Name);
        var x = await other.Containers.RunAsync("dockscript/web", name: Name("mid-x"), network: net.Name);
        // c shares no network: its cells wait the whole timeout, which keeps the matrix running.
        var c = await other.Containers.RunAsync("dockscript/web", name: Name("mid-c"), network: far.Name);
        var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        other.Probes.ReachabilityDisplay = (_, matrix) => matrix(new Reported(_ => begun.TrySetResult()));

        var running = other.Probes.ReachabilityAsync([a, b, x, c], timeout: TimeSpan.FromSeconds(5));
        await begun.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the engine has been read, and cells are done
        await x.StopAsync();
        Assert.False(running.IsCompleted, "the matrix must still be running when x has stopped, or this test proves nothing");
        var matrix = await running;
        await other.CleanupAsync();

        Assert.True(matrix[a.Name, b.Name].ReachableByIp);
        Assert.Equal(ProbeCause.TargetNotRunning, matrix[a.Name, x.Name].ByIp.Cause);
        Assert.Equal(ProbeCause.TargetNotRunning, matrix[a.Name, x.Name].ByName!.Cause);
        Assert.Equal(ProbeCause.SourceNotRunning, matrix[x.Name, a.Name].ByIp.Cause);
        Assert.Equal(ProbeCause.SourceNotRunning, matrix[x.Name, c.Name].ByName!.Cause);
        Assert.Equal(ProbeCause.NoSharedNetwork, matrix[a.Name, c.Name].ByIp.Cause);
    }

    [Fact]
    public async Task RunMany_starts_every_container_in_order_and_checks_names_first()
    {
        var net = Networks.Create(Name("many"));
        var names = Enumerable.Range(1, 24).Select(i => Name($"many-{i}")).ToList();
        var started = await Containers.RunManyAsync("dockscript/toolbox", names, network: net.Name, command: "sleep 3600");

        Assert.Equal(names, started.Select(c => c.Name));
        var states = await Task.WhenAll(started.Select(c => c.InspectAsync()));
        Assert.All(states, s => Assert.Equal("running", s.State));
        Assert.All(states, s => Assert.Contains(net.Name, s.IPs.Keys));

        var before = (await Containers.ListAsync(all: true)).Count;
        var taken = await Assert.ThrowsAsync<ConflictException>(() => Containers.RunManyAsync("dockscript/toolbox", [Name("many-new"), names[3]], network: net.Name));
        Assert.Contains(names[3], taken.Message);
        var twice = await Assert.ThrowsAsync<DockScriptException>(() => Containers.RunManyAsync("dockscript/toolbox", [Name("many-x"), Name("many-x")]));
        Assert.Contains("more than once", twice.Message);
        Assert.Equal(before, (await Containers.ListAsync(all: true)).Count);
    }

    [Fact]
    public async Task A_parallel_cleanup_keeps_a_foreign_container_and_its_network_with_the_reason()
    {
        var shared = Networks.Create(Name("clean-shared"));
        var own = Networks.Create(Name("clean-own"));
        var names = Enumerable.Range(1, 20).Select(i => Name($"clean-{i}")).ToList();
        await Containers.RunManyAsync("dockscript/toolbox", names[..10], network: shared.Name, command: "sleep 3600");
        await Containers.RunManyAsync("dockscript/toolbox", names[10..], network: own.Name, command: "sleep 3600");
        var foreign = Name("clean-foreign");
        Docker("run", "-d", "--name", foreign, "--network", shared.Name, "--dns", "127.0.0.1", "dockscript/toolbox", "sleep", "3600");
        try
        {
            var report = await Lab.CleanupAsync();

            Assert.Equal(names.Order(StringComparer.Ordinal), report.Containers);
            Assert.Equal([own.Name], report.Networks); // removed, so after its members
            var kept = Assert.Single(report.Kept);
            Assert.Contains($"network {shared.Name}", kept);
            Assert.Contains($"{foreign} is still attached", kept);
            Assert.Equal("running", Docker("inspect", "-f", "{{.State.Status}}", foreign).Trim());
            Assert.True(Networks.Exists(shared.Name));
        }
        finally
        {
            Docker("rm", "-f", foreign);
        }
    }

    private static string Docker(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), $"docker {string.Join(' ', args)} did not end within a minute");
        Assert.True(process.ExitCode == 0, $"docker {string.Join(' ', args)} failed: {error}");
        return output;
    }

    private sealed class Reported(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    /// <summary>A reason without its "how long ago" (a stopped target's exit): the matrix and the pings after it are read seconds apart.</summary>
    private static string? Timeless(string? reason) =>
        reason is null ? null : System.Text.RegularExpressions.Regex.Replace(reason, @"\d+ (s|min|h) ago|just now", "… ago");
}
