using System.Diagnostics;

namespace DockScript.IntegrationTests;

/// <summary>`dockscript run` as a child process, the way users and CI call it.</summary>
public sealed class CliTests(EngineFixture fx) : EngineTest(fx)
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name, name + ".csx");

    /// <summary>A compiled-script cache of this test run's own, so tests neither use nor fill the user's.</summary>
    internal static string CacheHome { get; } = Path.Combine(Path.GetTempPath(), "dockscript-it-cache-" + Environment.ProcessId);

    /// <summary>How the tests start dockscript: <c>dotnet dockscript.dll …</c>, with SIGINT at its default.</summary>
    internal static ProcessStartInfo StartInfo(IDictionary<string, string>? env, params string[] args)
    {
        // A process started from a background job inherits SIGINT as ignored, and .NET keeps it so;
        // `env --default-signal=INT` restores it, so the Ctrl+C tests work however the tests run.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--default-signal=INT");
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dockscript.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOCKSCRIPT_DNS"] = "127.0.0.1";
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["XDG_CACHE_HOME"] = CacheHome;
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        return psi;
    }

    internal static async Task<(int Code, string Out, string Err)> DockscriptAsync(IDictionary<string, string>? env, params string[] args)
    {
        using var p = Process.Start(StartInfo(env, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Args_after_the_double_dash_reach_the_script()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("Args"), "--", "a", "b c", "--keep");
        Assert.True(code == 0, stderr);
        Assert.Equal("arg: a\narg: b c\narg: --keep\ncount: 3\n", stdout);
    }

    [Fact]
    public async Task A_compile_error_prints_file_line_col_and_exits_1()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("CompileError"));
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Matches(@"CompileError\.csx:2:14: error CS0103: The name 'undefinedThing' does not exist", stderr);
    }

    [Fact]
    public async Task A_runtime_error_is_one_line_naming_the_script_line_and_exits_2()
    {
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("RuntimeError"));
        Assert.Equal(2, code);
        Assert.Equal("before\n", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"RuntimeError\.csx:3: error: No container named 'dockscript-fixture-ghost' exists", line);
    }

    [Fact]
    public async Task Debug_shows_the_stack()
    {
        var (code, _, stderr) = await DockscriptAsync(null, "run", Fixture("RuntimeError"), "--debug");
        Assert.Equal(2, code);
        Assert.Contains("NotFoundException", stderr);
        Assert.Contains("   at ", stderr);
    }

    [Fact]
    public async Task A_missing_script_or_a_directory_is_one_sentence_and_exits_64()
    {
        var (code, _, stderr) = await DockscriptAsync(null, "run", "/tmp/dockscript-no-such-script.csx");
        Assert.Equal(64, code);
        Assert.StartsWith("error: Script '/tmp/dockscript-no-such-script.csx' does not exist; check the path", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var (dirCode, _, dirErr) = await DockscriptAsync(null, "run", Path.GetTempPath());
        Assert.Equal(64, dirCode);
        Assert.Contains("is a directory", dirErr);
    }

    [Fact]
    public async Task An_engine_that_is_down_exits_3_with_one_sentence()
    {
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///tmp/dockscript-no-engine.sock" };
        var (code, _, stderr) = await DockscriptAsync(env, "run", Fixture("Args"));
        Assert.Equal(3, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: No Docker engine answers at unix:///tmp/dockscript-no-engine.sock", line);
    }

    [Fact]
    public async Task The_script_return_value_is_the_exit_code()
    {
        var (code, _, stderr) = await DockscriptAsync(null, "run", Fixture("ExitCode"), "--", "7");
        Assert.True(code == 7, stderr);
    }

    [Fact]
    public async Task What_a_script_creates_is_removed_when_it_ends()
    {
        var prefix = Name("cli");
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("Leaves"), "--", prefix);
        Assert.True(code == 0, stderr);
        Assert.Contains($"created {prefix}-web (container), {prefix}-net (network)", stdout);
        Assert.Contains($"cleanup: removed 1 container ({prefix}-web) and 1 network ({prefix}-net)", stderr);
        Assert.False(Containers.Exists($"{prefix}-web"));
        Assert.False(Networks.Exists($"{prefix}-net"));
    }

    [Fact]
    public async Task Keep_leaves_what_the_script_created()
    {
        var prefix = Name("keep");
        var (code, stdout, stderr) = await DockscriptAsync(null, "run", Fixture("Leaves"), "--keep", "--", prefix);
        Assert.True(code == 0, stderr);
        var session = stdout.Split('\n')[0]["session ".Length..];
        await using var theirs = await Lab.StartAsync(new LabOptions { SessionId = session });
        try
        {
            Assert.True(Containers.Exists($"{prefix}-web"));
            Assert.True(Networks.Exists($"{prefix}-net"));
        }
        finally
        {
            var report = await theirs.CleanupAsync();
            Assert.Equal([$"{prefix}-web"], report.Containers);
        }
    }
}
