using System.Collections.Concurrent;
using DockScript.Scripting.Repl;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace DockScript.Scripting.Packages;

/// <summary>
/// Completion after <c>#r "nuget: </c>: package names from the configured sources' search, then
/// the versions of the named package (newest stable first). Answers are kept for the session;
/// a source that does not answer (offline) gives nothing, silently.
/// </summary>
internal sealed class PackageSuggestions(string directory)
{
    private const int Take = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<(string Text, string Description)>>> answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<IReadOnlyList<SourceRepository>> repositories = new(() =>
        new PackageSourceProvider(Settings.LoadDefaultSettings(directory)).LoadPackageSources()
            .Where(s => s.IsEnabled).Select(s => Repository.Factory.GetCoreV3(s)).ToList());

    /// <summary>The REPL's: configured from the current directory.</summary>
    public static PackageSuggestions Default { get; } = new(Environment.CurrentDirectory);

    /// <summary>The items for <paramref name="site"/>; empty when no source answers.</summary>
    public async Task<IReadOnlyList<ReplCompletion>> CompleteAsync(PackageSite site, CancellationToken ct)
    {
        var key = site.Id is null ? $"search:{site.Typed}" : $"versions:{site.Id}";
        var task = answers.GetOrAdd(key, _ => site.Id is null ? SearchAsync(site.Typed) : VersionsAsync(site.Id));
        IReadOnlyList<(string Text, string Description)> found;
        try
        {
            found = await task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return []; // The user typed on; the answer is still kept for the next ask.
        }
        return found
            .Where(f => site.Id is not null || f.Text.Contains(site.Typed, StringComparison.OrdinalIgnoreCase))
            .Select(f => new ReplCompletion(f.Text, f.Text, f.Text, site.Id is null ? "Package" : "Version", _ => Task.FromResult(f.Description)))
            .ToList();
    }

    private async Task<IReadOnlyList<(string, string)>> SearchAsync(string term)
    {
        using var patience = new CancellationTokenSource(Patience);
        var found = new List<(string, string)>();
        foreach (var repository in repositories.Value)
        {
            try
            {
                var search = await repository.GetResourceAsync<PackageSearchResource>(patience.Token).ConfigureAwait(false);
                var results = await search!.SearchAsync(term, new SearchFilter(includePrerelease: false), 0, Take, NullLogger.Instance, patience.Token).ConfigureAwait(false);
                found.AddRange(results.Select(r => (r.Identity.Id, $"{r.Identity.Id} {r.Identity.Version.ToNormalizedString()}: {r.Description}")));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Offline, or a source without search: completion stays quiet.
            }
        }
        return found.DistinctBy(f => f.Item1, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private async Task<IReadOnlyList<(string, string)>> VersionsAsync(string id)
    {
        using var patience = new CancellationTokenSource(Patience);
        using var cache = new SourceCacheContext();
        var versions = new HashSet<NuGetVersion>();
        foreach (var repository in repositories.Value)
        {
            try
            {
                var finder = await repository.GetResourceAsync<FindPackageByIdResource>(patience.Token).ConfigureAwait(false);
                versions.UnionWith(await finder!.GetAllVersionsAsync(id, cache, NullLogger.Instance, patience.Token).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Offline: completion stays quiet.
            }
        }
        return versions.OrderBy(v => v.IsPrerelease).ThenByDescending(v => v)
            .Select(v => (v.ToNormalizedString(), $"{id} {v.ToNormalizedString()}{(v.IsPrerelease ? " (prerelease)" : "")}"))
            .ToList();
    }
}
