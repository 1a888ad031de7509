using DockScript.Tests.Packages;
using static DockScript.IntegrationTests.CliTests;

namespace DockScript.IntegrationTests;

/// <summary>
/// <c>#r "nuget: …"</c> through the real CLI: against the local test feed, each test with its own
/// packages folder and cache, and once against the default source (this machine reaches NuGet).
/// </summary>
public sealed class PackageTests(EngineFixture fx, LocalFeed feed) : EngineTest(fx), IClassFixture<LocalFeed>
{
    private static Dictionary<string, string> Env(PackageWorld world) =>
        new() { ["XDG_CACHE_HOME"] = world.Cache, ["NUGET_PACKAGES"] = world.GlobalPackages };

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private const string Greeting = """
        #r "nuget: Dsn.Greeting, {0}"
        Console.WriteLine(Dsn.Greeting.Hello("you"));
        Console.WriteLine("native: " + Dsn.Words.Native);
        """;

    [Fact]
    public async Task A_script_runs_with_a_package_its_dependency_and_their_assets_for_this_machine()
    {
        using var world = new PackageWorld(feed.Config());
        var script = world.Write("greet.csx", string.Format(Greeting, "1.0.0"));

        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", script);

        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        // The runtimes/<rid>/lib assembly ran (not the lib/ one compiled against), and its DllImport found the package's native library.
        Assert.Equal($"hello you from {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}, greeting 1.0.0", lines[0]);
        Assert.Matches(@"^native: \d+\.\d+", lines[1]);
    }

    [Fact]
    public async Task A_cache_hit_asks_no_source_and_a_changed_reference_recompiles()
    {
        using var world = new PackageWorld(feed.Config());
        var script = world.Write("latest.csx", "#r \"nuget: Dsn.Greeting\"\nConsole.WriteLine(Dsn.Greeting.Hello(\"you\"));\n");
        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", "--debug", script);
        Assert.True(code == 0, stderr);
        Assert.Contains("cache: miss", stderr);
        Assert.EndsWith("greeting 2.0.0\n", stdout);
        // No source left: "the latest version" cannot be asked for, so a run proves none was asked.
        world.Write("nuget.config", LocalFeed.Config(Path.Combine(world.Root, "no-such-feed"), "http://127.0.0.1:9/v3/index.json"));

        (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", "--debug", script);

        Assert.True(code == 0, stderr);
        Assert.Contains("cache: hit", stderr);
        Assert.EndsWith("greeting 2.0.0\n", stdout);

        world.Write("nuget.config", feed.Config());
        world.Write("latest.csx", "#r \"nuget: Dsn.Greeting, 1.0.0\"\nConsole.WriteLine(Dsn.Greeting.Hello(\"you\"));\n");
        (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", "--debug", script);

        Assert.True(code == 0, stderr);
        Assert.Contains("cache: miss", stderr);
        Assert.EndsWith("greeting 1.0.0\n", stdout);
    }

    [Fact]
    public async Task A_package_referenced_in_a_loaded_file_serves_the_main_script()
    {
        using var world = new PackageWorld(feed.Config());
        world.Write("lib/words.csx", "#r \"nuget: Dsn.Greeting, 2.0.0\"\nstring Greet(string n) => Dsn.Greeting.Hello(n);\n");
        var script = world.Write("main.csx", "#load \"lib/words.csx\"\nConsole.WriteLine(Greet(\"me\"));\nConsole.WriteLine(Dsn.Words.Where);\n");

        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", script);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("hello me from ", stdout);
        Assert.Contains("greeting 2.0.0\n", stdout);
    }

    [Fact]
    public async Task Two_scripts_that_want_different_versions_are_one_sentence_naming_both_and_exit_1()
    {
        using var world = new PackageWorld(feed.Config());
        world.Write("lib.csx", "#r \"nuget: Dsn.Greeting, [1.0.0]\"\n");
        var script = world.Write("main.csx", "#r \"nuget: Dsn.Greeting, [2.0.0]\"\n#load \"lib.csx\"\nConsole.WriteLine(\"ran\");\n");

        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", script);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Matches(
            @"^lib\.csx:1:1: error DS0102: Dsn\.Greeting is asked for as \[1\.0\.0\] here and as \[2\.0\.0\] at .*main\.csx:1:1, and no version is both; make the two #r lines agree\.$",
            Assert.Single(Lines(stderr)).Replace(world.Scripts + "/", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_reports_an_unknown_package_or_version_at_its_line()
    {
        using var world = new PackageWorld(feed.Config());
        var script = world.Write("bad.csx", "// packages\n#r \"nuget: Dsn.Nothing, 1.0.0\"\n");
        var version = world.Write("old.csx", "\n\n  #r \"nuget: Dsn.Greeting, [0.5.0]\"\n");

        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "check", script);
        var (versionCode, versionOut, versionErr) = await DockscriptAsync(Env(world), "check", version);

        Assert.Equal(1, code);
        Assert.Contains("bad.csx:2:1: error DS0102: package Dsn.Nothing was not found (tried ", stdout + stderr);
        Assert.Equal(1, versionCode);
        Assert.Contains("old.csx:3:3: error DS0102: package Dsn.Greeting has no version [0.5.0] (tried ", versionOut + versionErr);
    }

    [Fact]
    public async Task Check_runs_the_analyzers_a_package_ships()
    {
        using var world = new PackageWorld(feed.Config());
        var script = world.Write("sleepy.csx", "#r \"nuget: Dsn.Rules, 1.0.0\"\nThread.Sleep(1);\n");

        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "check", script);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("sleepy.csx:2:1: warning DSN001: Sleep blocks the script; wait on a state instead", stdout + stderr);
    }

    [Fact]
    public async Task Offline_without_the_package_is_one_sentence_and_exit_1_before_anything_runs()
    {
        var missing = Path.Combine(Path.GetTempPath(), "dockscript-no-feed-" + Guid.NewGuid().ToString("N"));
        using var world = new PackageWorld(LocalFeed.Config(missing, "http://127.0.0.1:9/v3/index.json"));
        var script = world.Write("offline.csx", "#r \"nuget: Dsn.Greeting, 1.0.0\"\nConsole.WriteLine(\"ran\");\n");

        var (code, stdout, stderr) = await DockscriptAsync(Env(world), "run", script);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Matches(
            @"offline\.csx:1:1: error DS0102: Dsn\.Greeting 1\.0\.0 is not in the global packages folder and no source answered \(tried .*/packages, .*dockscript-no-feed-\w+, http://127\.0\.0\.1:9/v3/index\.json\); connect to one of them or check its address in nuget\.config\.$",
            Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task The_default_source_serves_a_real_package()
    {
        // No nuget.config beside the script: the user's configuration and NuGet's default source.
        // This must fail, not skip, when the source does not answer.
        using var dir = new DockScript.Tests.TempDir();
        var packages = Path.Combine(dir.Path, "packages");
        var script = dir.Write("human.csx", "#r \"nuget: Humanizer.Core, 2.14.1\"\nusing Humanizer;\nConsole.WriteLine(\"man\".Pluralize() + \" \" + \"case\".ToQuantity(3));\n"
            // DockScript ships a Humanizer too (Roslyn's): the script runs the package's.
            + "Console.WriteLine(typeof(InflectorExtensions).Assembly.Location);\n");

        var (code, stdout, stderr) = await DockscriptAsync(
            new Dictionary<string, string> { ["XDG_CACHE_HOME"] = Path.Combine(dir.Path, "cache"), ["NUGET_PACKAGES"] = packages }, "run", script);

        Assert.True(code == 0, stderr);
        Assert.Equal($"men 3 cases\n{packages}/humanizer.core/2.14.1/lib/net6.0/Humanizer.dll\n", stdout);
        Assert.True(File.Exists(Path.Combine(packages, "humanizer.core", "2.14.1", ".nupkg.metadata")));
    }
}
