using DockScript.Scripting.Packages;
using DockScript.Scripting.Repl;

namespace DockScript.Tests.Packages;

/// <summary>Completion after <c>#r "nuget: </c> in the REPL: names, then versions, from the configured source.</summary>
public sealed class PackageCompletionTests(LocalFeed feed) : IClassFixture<LocalFeed>
{
    [Theory]
    [InlineData("#r \"nuget: Dsn.Gr", null, "Dsn.Gr")]
    [InlineData("#r \"nuget: ", null, "")]
    [InlineData("#r \"nuget:Dsn.Greeting, 1.", "Dsn.Greeting", "1.")]
    [InlineData("  #r \"nuget: Dsn.Greeting,", "Dsn.Greeting", "")]
    public void The_site_is_the_name_or_the_version_being_typed(string text, string? id, string typed)
    {
        var site = PackageSite.Find(text, text.Length);

        Assert.NotNull(site);
        Assert.Equal(id, site.Id);
        Assert.Equal(typed, site.Typed);
        Assert.Equal(typed, text[site.Span.Start..site.Span.End]);
        Assert.Equal(site.Span, ReplServices.CompletionSpan(text, text.Length));
        Assert.True(ReplServices.InLiveNameSite(text, text.Length));
    }

    [Theory]
    [InlineData("#r \"lib.dll")]
    [InlineData("var s = \"nuget: x")]
    [InlineData("#r \"nuget: Dsn.Greeting\" ")]
    public void Elsewhere_there_is_no_site(string text) => Assert.Null(PackageSite.Find(text, text.Length));

    private static PackageSite Site(string text) => PackageSite.Find(text, text.Length)!;

    [Fact]
    public async Task Names_come_from_the_configured_source_then_versions_newest_stable_first()
    {
        using var world = new PackageWorld(feed.Config());
        var suggestions = new PackageSuggestions(world.Scripts);

        var names = await suggestions.CompleteAsync(Site("#r \"nuget: Dsn.Gr"), default);
        var versions = await suggestions.CompleteAsync(Site("#r \"nuget: Dsn.Greeting, "), default);

        Assert.Equal(["Dsn.Greeting"], names.Select(n => n.ReplacementText));
        Assert.Equal(["2.0.0", "1.0.0", "3.0.0-beta"], versions.Select(v => v.ReplacementText));
    }

    [Fact]
    public async Task Offline_completion_is_silent()
    {
        using var world = new PackageWorld(LocalFeed.Config(Path.Combine(Path.GetTempPath(), "dockscript-no-feed-" + Guid.NewGuid().ToString("N")), "http://127.0.0.1:9/v3/index.json"));
        var suggestions = new PackageSuggestions(world.Scripts);

        Assert.Empty(await suggestions.CompleteAsync(Site("#r \"nuget: Dsn"), default));
        Assert.Empty(await suggestions.CompleteAsync(Site("#r \"nuget: Dsn.Greeting, "), default));
    }
}
