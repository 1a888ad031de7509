using System.Diagnostics;
using Docker.DotNet.Models;

namespace DockScript.IntegrationTests;

/// <summary>
/// The masquerade plumbing leaves nothing on the host however it is interrupted, comes back when
/// its server is removed behind DockScript's back, and <c>dockscript down</c> sweeps up links whose
/// server is gone.
/// </summary>
public sealed class OutsideTests(EngineFixture fx) : EngineTest(fx)
{
    public static TheoryData<string> Interruptions => new() { "sigkill-exec", "kill-container", "ctrl-c" };

    [Theory, MemberData(nameof(Interruptions))]
    public async Task A_plumbing_interrupted_once_its_link_exists_leaves_no_link_on_the_host(string how)
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] });
        var a = lab.Containers.Run("dockscript/toolbox", name: Name($"cut-{how}"), command: "sleep 3600");
        var interrupted = 0;
        // A tight poll can come too late (the script ran to its end): try again until one lands mid-way.
        for (var attempt = 0; attempt < 5 && interrupted == 0; attempt++)
        {
            using var cancel = new CancellationTokenSource();
            var masquerade = Task.Run(() => lab.Probes.MasqueradeAsync(a, TimeSpan.FromSeconds(5), cancel.Token));
            if (await PlumbingAsync(lab, masquerade) is not var (id, serverPid))
            {
                await TooLateAsync(lab, masquerade);
                continue;
            }
            var link = $"dsh{id}";
            // Wait for the link to exist anywhere: in the server's namespace (made there first) or on the host.
            var script = Stopwatch.StartNew();
            int? shell = null;
            while (script.Elapsed < TimeSpan.FromSeconds(30) && !masquerade.IsCompleted)
            {
                shell ??= ProcessWith($"ip link add {link} type veth");
                if (shell is not null && (Directory.Exists($"/sys/class/net/{link}") || ReadOrEmpty($"/proc/{serverPid}/net/dev").Contains(link + ":", StringComparison.Ordinal)))
                {
                    break;
                }
                Thread.Yield();
            }
            if (shell is null)
            {
                await TooLateAsync(lab, masquerade);
                continue;
            }
            switch (how)
            {
                case "sigkill-exec":
                    try
                    {
                        Process.GetProcessById(shell.Value).Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                        // The script ended before the kill landed: too late this time, try again.
                        await TooLateAsync(lab, masquerade);
                        continue;
                    }
                    break;
                case "kill-container":
                    await Lab.Docker.Containers.KillContainerAsync($"dockscript-plumber-{id}", new ContainerKillParameters { Signal = "SIGKILL" });
                    break;
                default:
                    await cancel.CancelAsync();
                    break;
            }
            bool succeeded;
            try
            {
                succeeded = (await masquerade).Success;
            }
            catch (Exception e) when (e is DockScriptException or OperationCanceledException or DockScript.NotFoundException)
            {
                succeeded = false;
            }
            if (succeeded)
            {
                await TooLateAsync(lab, masquerade);
                continue;
            }
            interrupted++;
            // The kernel tears a namespace down after its last process leaves: wait for that, bounded.
            var gone = Stopwatch.StartNew();
            while (Directory.Exists($"/sys/class/net/{link}") && gone.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Yield();
            }
            Assert.False(Directory.Exists($"/sys/class/net/{link}"), $"{how}: {link} was left on the host");
        }
        Assert.True(interrupted > 0, $"{how}: no attempt was interrupted mid-way");
        // And the next call starts a new server and works.
        var again = await lab.Probes.MasqueradeAsync(a);
        Assert.True(again.Masqueraded, again.ToString());
        await lab.CleanupAsync();
    }

    [Fact]
    public async Task An_outside_server_removed_behind_our_back_is_started_again()
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"] });
        var a = lab.Containers.Run("dockscript/toolbox", name: Name("srv-gone"), command: "sleep 3600");
        var first = lab.Probes.Masquerade(a);
        Assert.True(first.Masqueraded, first.ToString());
        var server = Assert.Single(lab.Created, n => n.StartsWith("dockscript-outside-", StringComparison.Ordinal)).Split(' ')[0];
        await Lab.Docker.Containers.RemoveContainerAsync(server, new ContainerRemoveParameters { Force = true });

        var again = lab.Probes.Masquerade(a, TimeSpan.FromSeconds(3));
        Assert.True(again.Masqueraded, again.ToString());
        var next = Assert.Single(lab.Created, n => n.StartsWith("dockscript-outside-", StringComparison.Ordinal)).Split(' ')[0];
        Assert.NotEqual(server, next);
        await lab.CleanupAsync();
    }

    [Fact]
    public async Task Down_lists_and_removes_a_link_whose_outside_server_is_gone()
    {
        // A link as an interrupted plumbing of an older DockScript left it: on the host, no server.
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var link = $"dsh{id}";
        var made = await HostAsync($"ip link add {link} type veth");
        Assert.True(made.Success, made.Stderr);
        try
        {
            Assert.True(Directory.Exists($"/sys/class/net/{link}"));
            var (dryCode, dryOut, dryErr) = await CliTests.DockscriptAsync(null, "down", "--dry-run");
            Assert.True(dryCode == 0, dryErr);
            Assert.Contains($"would remove link {link} from the host; its outside server is gone", dryOut);
            Assert.True(Directory.Exists($"/sys/class/net/{link}"));

            var (code, stdout, stderr) = await CliTests.DockscriptAsync(null, "down");
            Assert.True(code == 0, stderr);
            Assert.Contains($"removed link {link} from the host; its outside server is gone", stdout);
            Assert.False(Directory.Exists($"/sys/class/net/{link}"));
        }
        finally
        {
            await HostAsync($"ip link del {link} 2>/dev/null; true");
        }
    }

    /// <summary>Our session's outside server and plumber, once the plumber runs: the link id and the server's pid.</summary>
    private static async Task<(string Id, long ServerPid)?> PlumbingAsync(Lab lab, Task running)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !running.IsCompleted)
        {
            var mine = await lab.Docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.dockscript.session={lab.SessionId}"] = true } },
            });
            var plumber = mine.FirstOrDefault(c => c.Names!.Any(n => n.StartsWith("/dockscript-plumber-", StringComparison.Ordinal)));
            if (plumber is not null)
            {
                var id = plumber.Names!.First()["/dockscript-plumber-".Length..];
                var server = await lab.Docker.Containers.InspectContainerAsync($"dockscript-outside-{id}");
                return (id, server.State?.Pid ?? 0);
            }
        }
        Assert.True(running.IsCompleted, "no plumber appeared within 30 s");
        return null;
    }

    /// <summary>
    /// The plumbing finished before the interruption landed. Its link is the live server's and goes
    /// with it: remove the server (as a user might), so the next attempt plumbs afresh.
    /// </summary>
    private static async Task TooLateAsync(Lab lab, Task<MasqueradeResult> masquerade)
    {
        Assert.True((await masquerade).Success);
        foreach (var server in lab.Created.Where(n => n.StartsWith("dockscript-outside-", StringComparison.Ordinal)))
        {
            await lab.Docker.Containers.RemoveContainerAsync(server.Split(' ')[0], new ContainerRemoveParameters { Force = true });
        }
    }

    private static async Task<(bool Success, string Stderr)> HostAsync(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true })!;
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode == 0, stderr);
    }

    /// <summary>The host pid of a process whose command line contains <paramref name="text"/>.</summary>
    private static int? ProcessWith(string text)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadOrEmpty($"{dir}/cmdline").Contains(text, StringComparison.Ordinal))
            {
                return pid;
            }
        }
        return null;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
