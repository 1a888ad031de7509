using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;
using static DockScript.IntegrationTests.CliTests;

namespace DockScript.IntegrationTests;

/// <summary>The script runner end to end: #load, exit codes, analyzers, cache, --json, Ctrl+C, check, down, doctor.</summary>
public sealed class RunnerTests(EngineFixture fx) : EngineTest(fx)
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A cache directory no other test has touched.</summary>
    private static Dictionary<string, string> FreshCache() =>
        new() { ["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "dockscript-it-cache-" + Guid.NewGuid().ToString("N")) };

    // ---- #load ---------------------------------------------------------------------------------

    [Fact]
    public async Task Load_is_nested_and_relative_to_the_loading_file()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("Load"), "--", "nginx1");

        Assert.True(code == 0, stderr);
        Assert.Equal("hello nginx1!\n", stdout);
    }

    [Fact]
    public async Task An_error_in_a_loaded_file_names_that_file_and_line()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("LoadError"));

        Assert.Equal(2, code);
        Assert.Equal("before\n", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.Matches(@"LoadError/lib/broken\.csx:4: error: No container named 'dockscript-fixture-ghost' exists", line);
    }

    [Fact]
    public async Task A_missing_load_is_one_sentence_and_exits_1()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("LoadMissing"));

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.Matches(@"LoadMissing\.csx:1:1: error DS0100: #load ""lib/not-there\.csx"" names a file that does not exist \(.*/LoadMissing/lib/not-there\.csx\); check the path", line);
    }

    [Fact]
    public async Task A_load_cycle_is_one_sentence_and_exits_1()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("LoadCycle"));

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.Matches(@"other\.csx:1:1: error DS0101: .*LoadCycle\.csx loads itself through .*other\.csx; remove one of these #load lines\.", line);
    }

    // ---- exit codes ----------------------------------------------------------------------------

    [Fact]
    public async Task Environment_ExitCode_is_the_exit_code()
    {
        var (code, _, stderr) = await DockscriptAsync(null, "run", Fixture("EnvExitCode"), "--", "5");

        Assert.True(code == 5, stderr);
    }

    [Fact]
    public async Task A_failed_assertion_exits_2()
    {
        var (code, _, stderr) = await DockscriptAsync(null, "run", Fixture("ExitCode"), "--", "not-a-number");

        Assert.Equal(2, code);
        Assert.Contains("ExitCode.csx:2: error: FormatException", stderr);
    }

    [Fact]
    public async Task Unknown_commands_and_options_are_one_sentence_and_exit_64()
    {
        foreach (var args in new[] { new[] { "frobnicate" }, ["run", "--frob", Fixture("Args")], ["run", Fixture("Args"), "--frob"], ["check", "--frob"], ["down", "--frob"], [] })
        {
            var (code, stdout, stderr) = await DockscriptAsync(null, args);
            Assert.True(code == 64, $"{string.Join(' ', args)}: {code} {stderr}");
            Assert.Equal("", stdout);
            var line = Assert.Single(Lines(stderr));
            Assert.StartsWith("error: ", line);
            Assert.EndsWith("--help'.", line);
        }
    }

    [Fact]
    public async Task A_script_that_is_not_UTF8_is_one_sentence_and_exits_64()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Name("latin")}.csx");
        await File.WriteAllBytesAsync(path, [0x2F, 0x2F, 0x20, 0xE9, 0xFF, 0x0A]);
        try
        {
            var (code, _, stderr) = await DockscriptAsync(null, "run", path);
            Assert.Equal(64, code);
            Assert.Equal($"error: Script '{path}' is not valid UTF-8 text; save it as UTF-8.", Assert.Single(Lines(stderr)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_script_runs_as_an_executable_with_a_shebang_line()
    {
        var dir = Directory.CreateTempSubdirectory("dockscript-shebang-");
        try
        {
            // `#!/usr/bin/env dockscript` needs a dockscript on PATH: a shim for the build under test.
            var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin"));
            var shim = Path.Combine(bin.FullName, "dockscript");
            await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "dockscript.dll")}' \"$@\"\n");
            var script = Path.Combine(dir.FullName, "Shebang.csx");
            File.Copy(Fixture("Shebang"), script);
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var psi = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("a");
            psi.ArgumentList.Add("--keep");
            psi.Environment["PATH"] = bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
            psi.Environment["DOCKSCRIPT_DNS"] = "127.0.0.1";
            psi.Environment["XDG_CACHE_HOME"] = CacheHome;
            using var p = Process.Start(psi)!;
            var stdout = await p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();

            Assert.True(p.ExitCode == 0, stderr);
            Assert.Equal("shebang: a,--keep\n", stdout);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // ---- analyzers -----------------------------------------------------------------------------

    [Fact]
    public async Task Check_prints_every_diagnostic_without_an_engine()
    {
        // No engine at all: check must not need one.
        var noEngine = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent.sock" };

        var (code, stdout, stderr) = await DockscriptAsync(noEngine, "check", Fixture("Subnet"), Fixture("HostPorts"), Fixture("ProbeArgs"), Fixture("BridgeNames"), Fixture("CompileError"));

        Assert.Equal(1, code);
        var lines = Lines(stdout);
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"Subnet\.csx:3:64: error DS0001: subnet: '10\.0\.0\.0/33' has prefix /33", lines[0]);
        Assert.Matches(@"HostPorts\.csx:4:62: warning DS0002: ports: are ignored on network: ""host""", lines[1]);
        Assert.Matches(@"ProbeArgs\.csx:4:23: error DS0003: Ping: count: 0 sends nothing", lines[2]);
        Assert.Matches(@"ProbeArgs\.csx:4:35: error DS0003: Ping: timeout: TimeSpan\.FromSeconds\(-1\) is not a positive duration", lines[3]);
        Assert.Matches(@"BridgeNames\.csx:5:34: warning DS0004: web1 is only on the default bridge network, which has no name resolution: 'nginx2' will not resolve from it\.", lines[4]);
        Assert.Matches(@"CompileError\.csx:2:14: error CS0103:", lines[5]);
        Assert.Equal("check: 4 errors, 2 warnings", stderr.Trim());
    }

    [Fact]
    public async Task Check_of_a_clean_script_exits_0()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "check", Fixture("Load"));

        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        Assert.Equal("check: 0 errors, 0 warnings", stderr.Trim());
    }

    [Theory]
    [InlineData("Subnet", "error DS0001")]
    [InlineData("ProbeArgs", "error DS0003")]
    public async Task Run_refuses_an_analyzer_error_before_touching_the_engine(string fixture, string diagnostic)
    {
        var noEngine = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent.sock" };

        var (code, stdout, stderr) = await DockscriptAsync(noEngine, "run", Fixture(fixture));

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains(diagnostic, stderr);
        Assert.DoesNotContain("No Docker engine", stderr);
    }

    [Theory]
    [InlineData("HostPorts", "warning DS0002")]
    [InlineData("BridgeNames", "warning DS0004")]
    public async Task Run_shows_an_analyzer_warning_and_goes_on(string fixture, string diagnostic)
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture(fixture));

        Assert.True(code == 0, stderr);
        Assert.Equal("ran\n", stdout);
        Assert.Contains(diagnostic, stderr);
    }

    // ---- cache ---------------------------------------------------------------------------------

    [Fact]
    public async Task The_second_run_loads_the_compiled_script_from_the_cache()
    {
        var cache = FreshCache();
        try
        {
            var (code1, out1, err1) = await DockscriptAsync(cache, "run", "--debug", Fixture("Load"), "--", "a");
            var (code2, out2, err2) = await DockscriptAsync(cache, "run", "--debug", Fixture("Load"), "--", "a");
            var (code3, _, err3) = await DockscriptAsync(cache, "run", "--debug", "--no-cache", Fixture("Load"), "--", "a");

            Assert.True(code1 == 0 && code2 == 0 && code3 == 0, err1 + err2 + err3);
            Assert.Equal(out1, out2);
            Assert.Matches("(?m)^cache: miss [0-9a-f]{64}$", err1);
            Assert.Matches("(?m)^compile: [0-9]+ ms$", err1);
            Assert.Matches("(?m)^cache: hit [0-9a-f]{64}$", err2);
            Assert.Matches(@"(?m)^compile: [0-9]+ ms \(loaded from the cache\)$", err2);
            Assert.Contains("cache: off (--no-cache)", err3);
        }
        finally
        {
            Directory.Delete(cache["XDG_CACHE_HOME"], recursive: true);
        }
    }

    [Fact]
    public async Task A_runtime_error_from_a_cached_script_still_names_the_line()
    {
        var cache = FreshCache();
        try
        {
            await DockscriptAsync(cache, "run", Fixture("LoadError"));
            var (code, _, stderr) = await DockscriptAsync(cache, "run", "--debug", Fixture("LoadError"));

            Assert.Equal(2, code);
            Assert.Contains("cache: hit", stderr);
            Assert.Matches(@"LoadError/lib/broken\.csx:4: error: No container named", stderr);
        }
        finally
        {
            Directory.Delete(cache["XDG_CACHE_HOME"], recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_cache_folder_others_can_write_to_is_refused_and_the_script_still_runs()
    {
        var cache = FreshCache();
        var folder = Path.Combine(cache["XDG_CACHE_HOME"], "dockscript");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("777", 8));
        try
        {
            var (code, stdout, stderr) = await DockscriptAsync(cache, "run", "--debug", Fixture("Load"), "--", "a");

            Assert.True(code == 0, stderr);
            Assert.Equal("hello a!\n", stdout);
            Assert.Contains($"warning: The script cache {folder} can be written by everyone (mode 777), who could put code in it; running without the cache (chmod go-w {folder}).\n", stderr);
            Assert.Contains("cache: off (refused)", stderr);
            // Nothing was written into it: its entries could have been swapped for someone else's code.
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(cache["XDG_CACHE_HOME"], recursive: true);
        }
    }

    // ---- --json --------------------------------------------------------------------------------

    [Fact]
    public async Task Json_summarises_assertions_what_was_created_and_removed_and_timings()
    {
        var net = Name("json-net");
        var path = Path.Combine(Path.GetTempPath(), $"{Name("summary")}.json");
        try
        {
            var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("Journal"), "--json", path, "--", net);

            Assert.True(code == 0, stderr);
            Assert.Equal("done\n", stdout);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            var json = doc.RootElement;
            Assert.Equal("completed", json.GetProperty("outcome").GetString());
            Assert.Equal(0, json.GetProperty("exitCode").GetInt32());
            Assert.Equal(net, json.GetProperty("args")[0].GetString());
            Assert.Matches("^[0-9a-f]{12}$", json.GetProperty("session").GetString());
            Assert.Equal(2, json.GetProperty("assertions").GetProperty("passed").GetInt32());
            Assert.Equal(0, json.GetProperty("assertions").GetProperty("failed").GetInt32());
            var entry = json.GetProperty("journal")[0];
            Assert.Equal("assert", entry.GetProperty("kind").GetString());
            Assert.True(entry.GetProperty("success").GetBoolean());
            Assert.Equal("a new network uses the bridge driver", entry.GetProperty("summary").GetString());
            Assert.Equal([$"{net} (network)"], json.GetProperty("created").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal([net], json.GetProperty("cleanup").GetProperty("removedNetworks").EnumerateArray().Select(e => e.GetString()));
            Assert.True(json.GetProperty("durationsMs").GetProperty("total").GetDouble() > 0);
            Assert.True(json.GetProperty("durationsMs").GetProperty("run").GetDouble() > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Json_records_a_failure_too()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Name("failure")}.json");
        try
        {
            var (code, _, _) = await DockscriptAsync(null, "run", Fixture("RuntimeError"), "--json", path);

            Assert.Equal(2, code);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            Assert.Equal("runtime-error", doc.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(2, doc.RootElement.GetProperty("exitCode").GetInt32());
            Assert.EndsWith("RuntimeError.csx:3", doc.RootElement.GetProperty("errorLocation").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Json_to_an_unwritable_path_is_refused_before_the_script_runs()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("Args"), "--json", "/nonexistent-dir/summary.json", "--", "x");

        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: --json '/nonexistent-dir/summary.json' cannot be written", Assert.Single(Lines(stderr)));
    }

    // ---- Ctrl+C --------------------------------------------------------------------------------

    private static async Task SignalAsync(Process p, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    private static async Task WaitForLineAsync(Process p, StringBuilder output, string line, Task<string> stderr)
    {
        while (await p.StandardOutput.ReadLineAsync() is { } read)
        {
            output.AppendLine(read);
            if (read == line)
            {
                return;
            }
        }
        Assert.Fail($"the script ended before printing '{line}': {await stderr}");
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    [InlineData("HUP", 129)]
    public async Task A_signal_stops_a_long_ping_cleans_up_and_exits_with_its_code(string signal, int exitCode)
    {
        var box = Name("sleepy-" + signal.ToLowerInvariant());
        using var p = Process.Start(StartInfo(null, "run", Fixture("Sleepy"), "--", box))!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = new StringBuilder();
        await WaitForLineAsync(p, stdout, "started", stderr);
        Assert.True(Containers.Exists(box));

        await SignalAsync(p, signal);
        stdout.Append(await p.StandardOutput.ReadToEndAsync());
        // The ping takes 30 s: an exit within 20 s means it was cancelled, not waited out.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await p.WaitForExitAsync(timeout.Token);

        Assert.Equal(exitCode, p.ExitCode);
        Assert.DoesNotContain("not interrupted", stdout.ToString());
        var err = await stderr;
        Assert.Contains($"cleanup: removed 1 container ({box})", err);
        Assert.False(Containers.Exists(box));
    }

    [Fact]
    public async Task Closing_the_terminal_of_a_run_removes_what_it_created()
    {
        var box = Name("sleepy-tty");
        var session = "rp-" + box;
        var dll = Path.Combine(AppContext.BaseDirectory, "dockscript.dll");
        await TmuxRepl.TmuxAsync("new-session", "-d", "-s", session, "-x", "150", "-y", "20",
            $"env DOCKSCRIPT_DNS=127.0.0.1 XDG_CACHE_HOME='{CacheHome}' dotnet '{dll}' run '{Fixture("Sleepy")}' -- {box}; sleep 600");
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!(await TmuxRepl.TmuxAsync("capture-pane", "-p", "-t", session)).Contains("started", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "the script did not start in 60 s");
                await Task.Delay(100);
            }
            Assert.True(Containers.Exists(box));
        }
        finally
        {
            // Closing the terminal: the run gets SIGHUP.
            await TmuxRepl.TmuxAsync("kill-session", "-t", session);
        }
        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Containers.Exists(box))
        {
            Assert.True(DateTime.UtcNow < gone, $"{box} is still there 30 s after its terminal closed");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_second_Ctrl_C_quits_at_once()
    {
        using var p = Process.Start(StartInfo(null, "run", Fixture("Stubborn")))!;
        var stderr = new StringBuilder();
        var firstSignalSeen = new TaskCompletionSource();
        p.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
            if (e.Data?.StartsWith("interrupted:", StringComparison.Ordinal) == true)
            {
                firstSignalSeen.TrySetResult();
            }
        };
        p.BeginErrorReadLine();
        await WaitForLineAsync(p, new StringBuilder(), "started", Task.FromResult(""));

        await SignalAsync(p, "INT");
        // The first Ctrl+C was taken (it said so), and the script, which ignores cancellation, runs on.
        await firstSignalSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(p.HasExited, "the script ignores cancellation, so only the second Ctrl+C ends it");
        await SignalAsync(p, "INT");
        // The script sleeps 60 s: an exit within 10 s is the second Ctrl+C's doing.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await p.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, p.ExitCode);
        lock (stderr)
        {
            Assert.Contains("interrupted again", stderr.ToString());
        }
    }

    // ---- down ----------------------------------------------------------------------------------

    [Fact]
    public async Task Down_removes_what_dead_sessions_left_and_nothing_else()
    {
        // A container DockScript did not make: no labels at all.
        var foreign = Name("foreign");
        var created = await Lab.Docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = LabImage.Toolbox.Name,
            Name = foreign,
            Cmd = ["sleep", "600"],
            HostConfig = new HostConfig { DNS = ["127.0.0.1"] },
        });
        // A session whose process is gone: its labels name a pid that cannot exist.
        var dead = await Lab.StartAsync(new LabOptions { Dns = ["127.0.0.1"], Owner = new SessionOwner(int.MaxValue, Environment.MachineName) });
        // This test run's own session is alive: what it made must stay.
        var live = Networks.Create(Name("live"));
        try
        {
            var deadNet = dead.Networks.Create(Name("dead-net"));
            var deadBox = dead.Containers.Run("dockscript/toolbox", name: Name("dead-box"), network: deadNet.Name);

            var (dryCode, dryOut, dryErr) = await DockscriptAsync(null, "down", "--dry-run");
            Assert.True(dryCode == 0, dryErr);
            Assert.Contains($"would remove session {dead.SessionId}: 1 container ({Name("dead-box")}) and 1 network ({Name("dead-net")}); its process (pid {int.MaxValue} on {Environment.MachineName}) has ended", dryOut);
            Assert.True(Containers.Exists(Name("dead-box")));

            var (code, stdout, stderr) = await DockscriptAsync(null, "down");
            Assert.True(code == 0, stderr);
            Assert.Contains($"session {dead.SessionId}: removed 1 container ({Name("dead-box")}) and 1 network ({Name("dead-net")})", stdout);
            Assert.Contains($"kept session {Lab.SessionId}: 1 network ({live.Name}); session still running (pid {Environment.ProcessId} on {Environment.MachineName}) (use --all to remove it too)", stdout);
            Assert.Matches(@"(?m)^down: removed \d+ containers? and \d+ networks? from \d+ sessions?; kept \d+ sessions? that may still be running$", stdout);
            Assert.DoesNotContain(foreign, stdout);

            Assert.False(Containers.Exists(Name("dead-box")));
            Assert.False(Networks.Exists(Name("dead-net")));
            Assert.True(Networks.Exists(live.Name));
            var stillThere = await Lab.Docker.Containers.InspectContainerAsync(created.ID);
            Assert.Equal($"/{foreign}", stillThere.Name);
        }
        finally
        {
            await dead.CleanupAsync();
            dead.Dispose();
            await Lab.Docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    // ---- doctor --------------------------------------------------------------------------------

    [Fact]
    public async Task Doctor_reports_the_engine_images_and_probe_path()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "doctor");

        Assert.True(code == 0, stderr + stdout);
        Assert.Matches(@"(?m)^ok    engine      unix:///var/run/docker\.sock: Docker \S+, API 1\.\d+; DockScript speaks 1\.41–1\.\d+ and pins 1\.\d+$", stdout);
        Assert.Contains("ok    image       dockscript/web is built and current", stdout);
        Assert.Contains("ok    image       dockscript/toolbox is built and current", stdout);
        Assert.Matches(@"(?m)^(ok  |note)  probes      ", stdout);
        Assert.Matches(@"(?m)^(ok  |warn)  leftovers   ", stdout);
        Assert.Matches(@"(?m)^doctor: (healthy|usable, with \d+ warnings? above)$", stdout);
    }

    [Fact]
    public async Task Doctor_says_how_to_fix_a_missing_engine_and_exits_3()
    {
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent.sock", ["DOCKSCRIPT_PORTABLE"] = "1" };

        var (code, stdout, _) = await DockscriptAsync(env, "doctor");

        Assert.Equal(3, code);
        // doctor first says which endpoint it tries (and what named it), then that nothing answers there.
        var lines = stdout.Split('\n');
        Assert.StartsWith("ok    endpoint    unix:///nonexistent.sock", lines[0]);
        Assert.StartsWith("FAIL  engine      No Docker engine answers at unix:///nonexistent.sock", lines[1]);
        Assert.Contains("Fix: run scripts/engine", stdout);
    }

    [Fact]
    public async Task Doctor_explains_the_portable_path()
    {
        var (code, stdout, _) = await DockscriptAsync(new Dictionary<string, string> { ["DOCKSCRIPT_PORTABLE"] = "1" }, "doctor");

        Assert.Equal(0, code);
        Assert.Contains("note  probes      portable path (probes go through a toolbox helper per source, about 2 ms a ping): DOCKSCRIPT_PORTABLE is set", stdout);
    }
}
