using NuGet.Common;
using NuGet.Configuration;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Resolver;
using NuGet.Versioning;

namespace DockScript.Scripting.Packages;

/// <summary>
/// One restore with NuGet's client libraries: the configuration of the script's directory
/// (<c>nuget.config</c> there and above, the user's, the default source), the global packages
/// folder first, NuGet's own resolver (lowest applicable version, as <c>dotnet restore</c> picks
/// for a direct reference), downloads extracted into the global packages folder, and the assets
/// for this framework and machine.
/// </summary>
internal sealed class PackageResolution
{
    private readonly ISettings settings;
    private readonly string globalFolder;
    private readonly IReadOnlyList<PackageSource> sources;
    private readonly ILogger log = NullLogger.Instance;
    private readonly HashSet<string> unanswered = new(StringComparer.Ordinal);

    /// <summary>The framework scripts run on (net10.0 for this build).</summary>
    public static NuGetFramework Framework { get; } = NuGetFramework.Parse($"net{Environment.Version.Major}.{Environment.Version.Minor}");

    public PackageResolution(string directory, string? globalPackagesFolder = null)
    {
        settings = Settings.LoadDefaultSettings(directory);
        globalFolder = globalPackagesFolder ?? SettingsUtility.GetGlobalPackagesFolder(settings);
        sources = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
    }

    /// <summary>The enabled sources, as configured.</summary>
    public IReadOnlyList<PackageSource> Sources => sources;

    /// <summary>Resolves, downloads what is missing, and selects the assets of every package.</summary>
    /// <exception cref="PackageException">A request cannot be met; the message says which and why.</exception>
    public async Task<PackageSet> ResolveAsync(IReadOnlyList<PackageRequest> requests, Action<string>? progress, CancellationToken ct)
    {
        using var cache = new SourceCacheContext();
        Directory.CreateDirectory(globalFolder); // A missing local source is an error to NuGet; this one is simply empty.
        var local = Repository.Factory.GetCoreV3(new PackageSource(globalFolder, "global packages folder"));
        // What was restored before needs no source: when each request's lowest version is in the
        // global packages folder and so are its dependencies, nothing goes to the network.
        var found = await TryResolveAsync([local], requests, cache, localOnly: true, ct).ConfigureAwait(false);
        if (found is null)
        {
            progress?.Invoke($"restoring {string.Join(", ", requests)}…");
            var remote = sources.Select(s => Repository.Factory.GetCoreV3(s)).ToList();
            found = await TryResolveAsync([local, .. remote], requests, cache, localOnly: false, ct).ConfigureAwait(false);
            foreach (var (identity, source) in found!)
            {
                await DownloadAsync(identity, source, requests[0], cache, ct).ConfigureAwait(false);
            }
        }
        var assets = new PackageAssets(globalFolder, Framework);
        return new PackageSet(found.Keys.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).Select(assets.For).ToList());
    }

    private async Task<Dictionary<PackageIdentity, SourceRepository>?> TryResolveAsync(
        IReadOnlyList<SourceRepository> repositories, IReadOnlyList<PackageRequest> requests, SourceCacheContext cache, bool localOnly, CancellationToken ct)
    {
        var targets = new List<PackageIdentity>();
        foreach (var request in requests)
        {
            var versions = await VersionsAsync(repositories, request.Id, cache, ct).ConfigureAwait(false);
            var chosen = Choose(request, versions, localOnly);
            if (chosen is null)
            {
                if (localOnly)
                {
                    return null;
                }
                throw new PackageException(request, Unmet(request, versions));
            }
            targets.Add(new PackageIdentity(request.Id, chosen));
        }
        var available = await GatherAsync(repositories, targets, cache, ct).ConfigureAwait(false);
        var context = new PackageResolverContext(
            DependencyBehavior.Lowest,
            targets.Select(t => t.Id),
            targets.Select(t => t.Id),
            [],
            targets,
            available,
            repositories.Select(r => r.PackageSource),
            log);
        try
        {
            var resolved = new PackageResolver().Resolve(context, ct);
            return resolved.ToDictionary(p => p, p => available.First(a => PackageIdentity.Comparer.Equals(a, p)).Source!, PackageIdentity.Comparer);
        }
        catch (NuGetResolverException e) when (localOnly)
        {
            _ = e; // Something is missing locally: ask the sources.
            return null;
        }
        catch (NuGetResolverException e)
        {
            throw new PackageException(requests[0], $"the packages cannot be resolved together: {e.Message.TrimEnd('.')}{SourcesNote()}.");
        }
    }

    /// <summary>
    /// The version a request means: the lowest in its range (NuGet's rule for a direct reference),
    /// or the latest stable for a bare name. From the global packages folder alone only a range
    /// whose lower bound is there counts, since a source may hold a lower match.
    /// </summary>
    private static NuGetVersion? Choose(PackageRequest request, IReadOnlyCollection<NuGetVersion> versions, bool localOnly)
    {
        if (request.Range is null)
        {
            return localOnly ? null : versions.Where(v => !v.IsPrerelease).DefaultIfEmpty(versions.Max()).Max();
        }
        if (localOnly)
        {
            return request.Range is { HasLowerBound: true, IsMinInclusive: true, IsFloating: false } r && versions.Contains(r.MinVersion!)
                ? r.MinVersion
                : null;
        }
        return request.Range.FindBestMatch(versions);
    }

    private async Task<IReadOnlyCollection<NuGetVersion>> VersionsAsync(IReadOnlyList<SourceRepository> repositories, string id, SourceCacheContext cache, CancellationToken ct)
    {
        var versions = new HashSet<NuGetVersion>();
        foreach (var repository in repositories)
        {
            try
            {
                var finder = await repository.GetResourceAsync<FindPackageByIdResource>(ct).ConfigureAwait(false)
                    ?? throw new FatalProtocolException($"{repository.PackageSource.Source} is not a package source.");
                versions.UnionWith(await finder.GetAllVersionsAsync(id, cache, log, ct).ConfigureAwait(false));
            }
            catch (Exception e) when (Unanswered(e))
            {
                unanswered.Add(repository.PackageSource.Source);
            }
        }
        return versions;
    }

    /// <summary>Every version of every package the targets can reach, with its dependencies for this framework.</summary>
    private async Task<List<SourcePackageDependencyInfo>> GatherAsync(IReadOnlyList<SourceRepository> repositories, List<PackageIdentity> targets, SourceCacheContext cache, CancellationToken ct)
    {
        var available = new Dictionary<PackageIdentity, SourcePackageDependencyInfo>(PackageIdentity.Comparer);
        var seen = new HashSet<string>(targets.Select(t => t.Id), StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(seen);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            var target = targets.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));
            foreach (var repository in repositories)
            {
                IEnumerable<SourcePackageDependencyInfo> infos;
                try
                {
                    var resource = await repository.GetResourceAsync<DependencyInfoResource>(ct).ConfigureAwait(false)
                        ?? throw new FatalProtocolException($"{repository.PackageSource.Source} is not a package source.");
                    infos = await resource.ResolvePackages(id, Framework, cache, log, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (Unanswered(e))
                {
                    unanswered.Add(repository.PackageSource.Source);
                    continue;
                }
                // A target is the version chosen for it, nothing else (as NuGet's own install does).
                foreach (var info in infos.Where(i => target is null || i.Version == target.Version))
                {
                    if (available.TryAdd(new PackageIdentity(info.Id, info.Version), info))
                    {
                        foreach (var dependency in info.Dependencies.Where(d => seen.Add(d.Id)))
                        {
                            queue.Enqueue(dependency.Id);
                        }
                    }
                }
            }
        }
        return [.. available.Values];
    }

    private async Task DownloadAsync(PackageIdentity identity, SourceRepository source, PackageRequest blame, SourceCacheContext cache, CancellationToken ct)
    {
        var paths = new VersionFolderPathResolver(globalFolder);
        if (File.Exists(paths.GetNupkgMetadataPath(identity.Id, identity.Version)))
        {
            return;
        }
        try
        {
            var finder = await source.GetResourceAsync<FindPackageByIdResource>(ct).ConfigureAwait(false)
                ?? throw new FatalProtocolException($"{source.PackageSource.Source} is not a package source.");
            using var nupkg = new MemoryStream();
            if (!await finder.CopyNupkgToStreamAsync(identity.Id, identity.Version, nupkg, cache, log, ct).ConfigureAwait(false))
            {
                throw new PackageException(blame, $"{identity.Id} {identity.Version} is listed by {source.PackageSource.Source} but could not be downloaded from it; try again.");
            }
            nupkg.Position = 0;
            using var _ = await GlobalPackagesFolderUtility.AddPackageAsync(
                source.PackageSource.Source, identity, nupkg, globalFolder, Guid.Empty,
                ClientPolicyContext.GetClientPolicy(settings, log), log, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Unanswered(e))
        {
            throw new PackageException(blame, $"{identity.Id} {identity.Version} could not be downloaded from {source.PackageSource.Source} ({e.Message.TrimEnd('.')}); try again when it answers.");
        }
    }

    private static bool Unanswered(Exception e) =>
        e is FatalProtocolException or HttpRequestException or IOException or TaskCanceledException { CancellationToken.IsCancellationRequested: false };

    /// <summary>The sentence for a request no version meets: unknown package, unknown version, or no source answering.</summary>
    private string Unmet(PackageRequest request, IReadOnlyCollection<NuGetVersion> versions)
    {
        var tried = string.Join(", ", sources.Select(s => s.Source).Prepend(globalFolder));
        if (versions.Count == 0 && unanswered.Count > 0)
        {
            return $"{request} is not in the global packages folder and no source answered (tried {tried}); connect to one of them or check its address in nuget.config.";
        }
        if (versions.Count == 0)
        {
            return $"package {request.Id} was not found (tried {tried}); check the name.";
        }
        var latest = versions.Where(v => !v.IsPrerelease).DefaultIfEmpty(versions.Max()).Max()!;
        return $"package {request.Id} has no version {PackageRequest.Text(request.Range!)} (tried {tried}; the latest is {latest.ToNormalizedString()}){SourcesNote()}; pick a version the source lists.";
    }

    private string SourcesNote() => unanswered.Count == 0 ? "" : $" ({string.Join(", ", unanswered)} did not answer)";
}
