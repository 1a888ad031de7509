using DockScript.Scripting;

namespace DockScript.Tests;

public sealed class ScriptCacheTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private ScriptCache Cache => new(Path.Combine(dir.Path, "cache"));

    [Fact]
    public void The_key_is_stable_for_the_same_sources()
    {
        var main = dir.Write("main.csx", "#load \"a.csx\"\nvar x = A;\n");
        dir.Write("a.csx", "var A = 1;\n");

        Assert.Equal(ScriptCache.KeyFor(ScriptSources.Read(main)), ScriptCache.KeyFor(ScriptSources.Read(main)));
        Assert.Matches("^[0-9a-f]{64}$", ScriptCache.KeyFor(ScriptSources.Read(main)));
    }

    [Fact]
    public void The_key_changes_with_the_main_file_a_loaded_file_a_reference_and_the_path()
    {
        var main = dir.Write("main.csx", "#load \"a.csx\"\n#r \"lib.dll\"\nvar x = A;\n");
        dir.Write("a.csx", "var A = 1;\n");
        var dll = Path.Combine(dir.Path, "lib.dll");
        File.WriteAllBytes(dll, [1]);
        var keys = new List<string> { ScriptCache.KeyFor(ScriptSources.Read(main)) };

        dir.Write("a.csx", "var A = 2;\n");
        keys.Add(ScriptCache.KeyFor(ScriptSources.Read(main)));
        File.WriteAllBytes(dll, [2]);
        keys.Add(ScriptCache.KeyFor(ScriptSources.Read(main)));
        dir.Write("main.csx", "#load \"a.csx\"\n#r \"lib.dll\"\nvar x = A + 0;\n");
        keys.Add(ScriptCache.KeyFor(ScriptSources.Read(main)));
        var moved = dir.Write("elsewhere/main.csx", File.ReadAllText(main));
        dir.Write("elsewhere/a.csx", "var A = 2;\n");
        keys.Add(ScriptCache.KeyFor(ScriptSources.Read(moved)));

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void The_default_directory_follows_XDG_CACHE_HOME()
    {
        var before = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/srv/cache");
            Assert.Equal("/srv/cache/dockscript", ScriptCache.DefaultDirectory);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dockscript"), ScriptCache.DefaultDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", before);
        }
    }

    [Fact]
    public async Task A_second_prepare_is_a_hit_that_skips_compilation_and_keeps_warnings()
    {
        var main = dir.Write("main.csx", "#warning look\nreturn 41 + 1;\n");

        var first = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);
        var second = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);

        Assert.Equal("miss", first.Cache);
        Assert.Equal("hit", second.Cache);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.Warnings, second.Warnings);
        Assert.Contains("warning CS1030", Assert.Single(second.Warnings));
        Assert.True(File.Exists(Path.Combine(Cache.Directory, first.Key + ".dll")));
        Assert.True(File.Exists(Path.Combine(Cache.Directory, first.Key + ".pdb")));
    }

    [Fact]
    public async Task A_corrupt_entry_is_compiled_again_not_fatal()
    {
        var main = dir.Write("main.csx", "return 7;\n");
        var first = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);
        await File.WriteAllBytesAsync(Path.Combine(Cache.Directory, first.Key + ".dll"), [0x4D, 0x5A, 0, 0]);

        var again = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);
        var healed = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);

        Assert.Equal("miss", again.Cache);
        Assert.NotNull(again.Script);
        Assert.Equal("hit", healed.Cache);
    }

    [Fact]
    public async Task A_garbled_manifest_is_a_miss()
    {
        var main = dir.Write("main.csx", "return 7;\n");
        var first = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);
        await File.WriteAllTextAsync(Path.Combine(Cache.Directory, first.Key + ".json"), "{ not json");

        Assert.Equal("miss", (await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache)).Cache);
    }

    [Fact]
    public async Task An_unwritable_cache_directory_still_runs_the_script()
    {
        var blocker = dir.Write("file-not-dir", "x");
        var main = dir.Write("main.csx", "return 3;\n");

        var prepared = await ScriptHost.PrepareAsync(ScriptSources.Read(main), new ScriptCache(Path.Combine(blocker, "cache")));

        Assert.Equal("miss", prepared.Cache);
        Assert.NotNull(prepared.Script);
    }

    [Fact]
    public async Task Errors_are_not_cached()
    {
        var main = dir.Write("main.csx", "nope();\n");

        var prepared = await ScriptHost.PrepareAsync(ScriptSources.Read(main), Cache);

        Assert.Null(prepared.Script);
        Assert.Contains("error CS0103", Assert.Single(prepared.Errors));
        Assert.False(Directory.Exists(Cache.Directory) && Directory.EnumerateFiles(Cache.Directory).Any());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_folder_of_the_users_own_is_accepted_and_a_new_one_is_made_private()
    {
        var folder = Path.Combine(dir.Path, "mine");
        Assert.NotNull(ScriptCache.Open(folder, out var refusal));
        Assert.Null(refusal);

        Assert.True(new ScriptCache(folder).TryWrite("k", new CacheEntry([1], [2], new CacheManifest("T", "M", [], []))));

        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(folder) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        Assert.NotNull(ScriptCache.Open(folder, out refusal));
        Assert.Null(refusal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_folder_others_can_write_to_is_refused_in_one_sentence()
    {
        var everyone = Directory.CreateDirectory(Path.Combine(dir.Path, "everyone")).FullName;
        File.SetUnixFileMode(everyone, (UnixFileMode)Convert.ToInt32("777", 8));
        var group = Directory.CreateDirectory(Path.Combine(dir.Path, "group")).FullName;
        File.SetUnixFileMode(group, (UnixFileMode)Convert.ToInt32("775", 8));

        Assert.Null(ScriptCache.Open(everyone, out var refusal));
        Assert.Equal($"The script cache {everyone} can be written by everyone (mode 777), who could put code in it; running without the cache (chmod go-w {everyone}).", refusal);
        Assert.Null(ScriptCache.Open(group, out refusal));
        Assert.StartsWith($"The script cache {group} can be written by its group (mode 775)", refusal);
    }

    [Fact]
    public void A_folder_of_another_user_is_refused_in_one_sentence()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "theirs")).FullName;
        var someoneElse = ScriptCache.CurrentUser() + 1;

        // The same folder: accepted for its owner, refused for anyone else.
        Assert.Null(ScriptCache.Refusal(folder, ScriptCache.CurrentUser()));
        Assert.Equal(
            $"The script cache {folder} belongs to another user (uid {ScriptCache.CurrentUser()}), who could put code in it; running without the cache (remove that folder, or set XDG_CACHE_HOME to a folder of your own).",
            ScriptCache.Refusal(folder, someoneElse));
    }
}
