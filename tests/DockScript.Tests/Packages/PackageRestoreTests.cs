using System.Runtime.InteropServices;
using DockScript.Scripting.Packages;
using NuGet.Versioning;

namespace DockScript.Tests.Packages;

/// <summary>Restoring <c>#r "nuget: …"</c> against a local feed, each test with its own packages folder.</summary>
public sealed class PackageRestoreTests(LocalFeed feed) : IClassFixture<LocalFeed>
{
    private static PackageRequest Request(string text, string where = "s.csx:1:1") =>
        PackageRequest.Parse(text, where, out var problem) ?? throw new InvalidOperationException(problem);

    private static async Task<(PackageSet Set, List<string> Problems)> RestoreAsync(PackageWorld world, params PackageRequest[] requests)
    {
        var problems = new List<string>();
        var set = await new PackageRestore(world.Cache, world.GlobalPackages).RestoreAsync(requests, world.Scripts, problems);
        return (set, problems);
    }

    private static string Versions(PackageSet set) => string.Join(", ", set.Packages.Select(p => $"{p.Id} {p.Version}"));

    [Fact]
    public async Task A_package_comes_with_its_dependency_at_the_lowest_version_that_fits()
    {
        using var world = new PackageWorld(feed.Config());

        var (set, problems) = await RestoreAsync(world, Request("nuget: Dsn.Greeting, 1.0.0"));

        Assert.Empty(problems);
        Assert.Equal("Dsn.Greeting 1.0.0, Dsn.Words 1.0.0", Versions(set));
        Assert.True(File.Exists(Path.Combine(world.GlobalPackages, "dsn.greeting", "1.0.0", ".nupkg.metadata")));
    }

    [Fact]
    public async Task Runtime_specific_and_native_assets_are_picked_for_this_machine()
    {
        using var world = new PackageWorld(feed.Config());

        var (set, _) = await RestoreAsync(world, Request("nuget: Dsn.Words, 1.0.0"));

        var words = Assert.Single(set.Packages);
        var rid = RuntimeInformation.RuntimeIdentifier;
        Assert.EndsWith("/lib/netstandard2.0/Dsn.Words.dll", Assert.Single(words.Compile));
        Assert.EndsWith($"/runtimes/{rid}/lib/net8.0/Dsn.Words.dll", Assert.Single(words.Runtime));
        Assert.EndsWith($"/runtimes/{rid}/native/libdsnzip.so", Assert.Single(words.Native));
        Assert.Equal(words.Native[0], set.NativeLibrary("dsnzip"));
    }

    [Theory]
    [InlineData("nuget: Dsn.Greeting, 2.0.0", "Dsn.Greeting 2.0.0")]
    [InlineData("nuget: Dsn.Greeting, [1.0,2.0)", "Dsn.Greeting 1.0.0")]
    [InlineData("nuget: Dsn.Greeting, (1.0,3.0)", "Dsn.Greeting 2.0.0")]
    [InlineData("nuget: Dsn.Greeting", "Dsn.Greeting 2.0.0")] // latest stable, not 3.0.0-beta
    [InlineData("nuget: Dsn.Greeting, 3.0.0-beta", "Dsn.Greeting 3.0.0-beta")]
    [InlineData("nuget:dsn.greeting,1.5", "Dsn.Greeting 2.0.0")]
    public async Task Versions_and_ranges_mean_what_they_mean_to_NuGet(string reference, string expected)
    {
        using var world = new PackageWorld(feed.Config());

        var (set, problems) = await RestoreAsync(world, Request(reference));

        Assert.Empty(problems);
        Assert.Equal(expected, set.Packages.Select(p => $"{p.Id} {p.Version}").First(p => p.StartsWith("Dsn.Greeting", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unknown_package_is_one_sentence_at_its_line()
    {
        using var world = new PackageWorld(feed.Config());

        var (set, problems) = await RestoreAsync(world, Request("nuget: Dsn.Nothing, 1.0.0", "s.csx:3:1"));

        Assert.True(set.IsEmpty);
        var problem = Assert.Single(problems);
        Assert.Equal($"s.csx:3:1: error DS0102: package Dsn.Nothing was not found (tried {world.GlobalPackages}, {feed.Folder}); check the name.", problem);
    }

    [Fact]
    public async Task An_unknown_version_names_the_latest()
    {
        using var world = new PackageWorld(feed.Config());

        var (_, problems) = await RestoreAsync(world, Request("nuget: Dsn.Greeting, [9.0.0]", "s.csx:2:1"));

        var problem = Assert.Single(problems);
        Assert.StartsWith("s.csx:2:1: error DS0102: package Dsn.Greeting has no version [9.0.0] (tried ", problem);
        Assert.Contains("the latest is 2.0.0", problem);
    }

    [Fact]
    public void Two_scripts_asking_for_versions_that_cannot_both_hold_is_one_sentence_naming_both()
    {
        var problems = new List<string>();

        var merged = PackageRestore.Merge([Request("nuget: Dsn.Greeting, [1.0.0]", "main.csx:1:1"), Request("nuget: Dsn.Greeting, [2.0.0]", "lib.csx:2:1")], problems);

        Assert.Null(merged);
        Assert.Equal(
            "lib.csx:2:1: error DS0102: Dsn.Greeting is asked for as [2.0.0] here and as [1.0.0] at main.csx:1:1, and no version is both; make the two #r lines agree.",
            Assert.Single(problems));
    }

    [Fact]
    public void Two_scripts_asking_for_overlapping_versions_get_what_both_accept()
    {
        var problems = new List<string>();

        var merged = PackageRestore.Merge([Request("nuget: Dsn.Greeting, 1.0.0"), Request("nuget: dsn.greeting, [1.5,3.0)"), Request("nuget: Dsn.Greeting")], problems);

        Assert.Empty(problems);
        Assert.Equal(VersionRange.Parse("[1.5,3.0)"), Assert.Single(merged!).Range);
    }

    [Theory]
    [InlineData("nuget: ", "names no package")]
    [InlineData("nuget: Not A Name, 1.0", "is not a NuGet package id")]
    [InlineData("nuget: Dsn.Greeting, one", "'one' is not a NuGet version or version range (for Dsn.Greeting)")]
    public void A_malformed_reference_says_what_is_wrong(string reference, string expected)
    {
        Assert.Null(PackageRequest.Parse(reference, "s.csx:1:1", out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public async Task Offline_with_the_packages_restored_works_without_a_source()
    {
        using var world = new PackageWorld(feed.Config());
        var (first, _) = await RestoreAsync(world, Request("nuget: Dsn.Greeting, 1.0.0"));
        File.WriteAllText(Path.Combine(world.Scripts, "nuget.config"), LocalFeed.Config(Path.Combine(world.Root, "no-such-feed"), "http://127.0.0.1:9/v3/index.json"));
        Directory.Delete(world.Cache, recursive: true); // no remembered restore: resolved again, from the packages folder

        var (again, problems) = await RestoreAsync(world, Request("nuget: Dsn.Greeting, 1.0.0"));

        Assert.Empty(problems);
        Assert.Equal(Versions(first), Versions(again));
    }

    [Fact]
    public async Task Offline_without_the_packages_is_one_sentence_naming_the_package_and_the_sources()
    {
        var missing = Path.Combine(Path.GetTempPath(), "dockscript-no-feed-" + Guid.NewGuid().ToString("N"));
        using var world = new PackageWorld(LocalFeed.Config(missing, "http://127.0.0.1:9/v3/index.json"));

        var (set, problems) = await RestoreAsync(world, Request("nuget: Dsn.Greeting, 1.0.0", "s.csx:1:1"));

        Assert.True(set.IsEmpty);
        Assert.Equal(
            $"s.csx:1:1: error DS0102: Dsn.Greeting 1.0.0 is not in the global packages folder and no source answered (tried {world.GlobalPackages}, {missing}, http://127.0.0.1:9/v3/index.json); connect to one of them or check its address in nuget.config.",
            Assert.Single(problems));
    }

    [Fact]
    public async Task A_restore_is_remembered_so_the_next_run_needs_no_source_even_for_the_latest_version()
    {
        using var world = new PackageWorld(feed.Config());
        var (first, _) = await RestoreAsync(world, Request("nuget: Dsn.Greeting"));
        // Every source gone: "latest" could not be asked again, so an answer proves the memory was used.
        File.WriteAllText(Path.Combine(world.Scripts, "nuget.config"), LocalFeed.Config(Path.Combine(world.Root, "no-such-feed")));

        var (again, problems) = await RestoreAsync(world, Request("nuget: Dsn.Greeting"));

        Assert.Empty(problems);
        Assert.Equal("Dsn.Greeting 2.0.0, Dsn.Words 1.0.0", Versions(again));
        Assert.Equal(Versions(first), Versions(again));
    }

    [Fact]
    public async Task A_remembered_restore_whose_files_are_gone_is_restored_again()
    {
        using var world = new PackageWorld(feed.Config());
        await RestoreAsync(world, Request("nuget: Dsn.Greeting, 1.0.0"));
        Directory.Delete(world.GlobalPackages, recursive: true);

        var (again, problems) = await RestoreAsync(world, Request("nuget: Dsn.Greeting, 1.0.0"));

        Assert.Empty(problems);
        Assert.True(again.IsOnDisk());
        Assert.True(Directory.Exists(Path.Combine(world.GlobalPackages, "dsn.words", "1.0.0")));
    }

    [Fact]
    public async Task An_analyzer_only_package_brings_its_analyzer()
    {
        using var world = new PackageWorld(feed.Config());

        var (set, _) = await RestoreAsync(world, Request("nuget: Dsn.Rules, 1.0.0"));

        Assert.Empty(set.References);
        Assert.Equal("DSN001", Assert.Single(Assert.Single(set.Analyzers).SupportedDiagnostics).Id);
    }

    [Fact]
    public void The_runtime_graph_goes_from_this_machine_to_any()
    {
        var graph = PackageAssets.RuntimeGraphFor("linux-x64");

        Assert.Equal(["linux-x64", "linux", "unix-x64", "unix", "any", "base"], graph.ExpandRuntime("linux-x64"));
    }
}
