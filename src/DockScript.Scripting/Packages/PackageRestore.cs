using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NuGet.Versioning;

namespace DockScript.Scripting.Packages;

/// <summary>
/// Turns a script's <c>#r "nuget: …"</c> requests into a <see cref="PackageSet"/>. A restore is
/// remembered (under the script cache directory, keyed by the requests, the script's directory
/// and the packages folder), so running the same script again neither loads NuGet nor touches
/// the network; the memory is dropped when a file it names has left the global packages folder.
/// Problems become one <c>file:line:col: error DS0102: …</c> sentence at the <c>#r</c> line.
/// </summary>
/// <param name="memoDirectory">Where restores are remembered; null to resolve every time.</param>
/// <param name="globalPackagesFolder">The global packages folder, or null for the one NuGet's configuration names.</param>
internal sealed class PackageRestore(string? memoDirectory, string? globalPackagesFolder = null)
{
    /// <summary>The restore scripts and the REPL use: remembered under the script cache, the configured packages folder.</summary>
    public static PackageRestore Default { get; } = new(Path.Combine(ScriptCache.DefaultDirectory, "packages"));

    /// <summary>Restores <paramref name="requests"/> for a script in <paramref name="directory"/>; problems are added to <paramref name="problems"/>.</summary>
    /// <param name="requests">The requests in the order they were written.</param>
    /// <param name="directory">The script's directory: NuGet's configuration is looked up from there.</param>
    /// <param name="problems">Receives one diagnostic line per problem; the set is then empty.</param>
    /// <param name="progress">Told which packages are being fetched, when the network is needed.</param>
    /// <param name="ct">Cancels the restore.</param>
    public async Task<PackageSet> RestoreAsync(IReadOnlyList<PackageRequest> requests, string directory, List<string> problems, Action<string>? progress = null, CancellationToken ct = default)
    {
        if (requests.Count == 0)
        {
            return PackageSet.Empty;
        }
        var started = Stopwatch.GetTimestamp();
        if (Remembered(requests, directory, out var memo) is { } known)
        {
            return known;
        }
        var before = problems.Count;
        var valid = Checked(requests, problems);
        var merged = problems.Count > before ? null : Merge(valid, problems);
        if (merged is null)
        {
            return PackageSet.Empty;
        }
        try
        {
            var fetched = false;
            var resolved = await new PackageResolution(directory, globalPackagesFolder)
                .ResolveAsync(merged, what => { fetched = true; progress?.Invoke(what); }, ct).ConfigureAwait(false);
            var set = new PackageSet(resolved.Packages) { Restore = (fetched ? "sources" : "global packages folder", Stopwatch.GetElapsedTime(started)) };
            if (memo is not null)
            {
                Remember(memo, set);
            }
            return set;
        }
        catch (PackageException e)
        {
            problems.Add($"{e.Request.Where}: error DS0102: {e.Message}");
            return PackageSet.Empty;
        }
    }

    /// <summary>The synchronous form, for reading a script's sources; a remembered restore stays on the calling thread.</summary>
    public PackageSet Restore(IReadOnlyList<PackageRequest> requests, string directory, List<string> problems, CancellationToken ct = default) =>
        requests.Count == 0 ? PackageSet.Empty
        : Remembered(requests, directory, out _) is { } known ? known
        : Task.Run(() => RestoreAsync(requests, directory, problems, null, ct), ct).GetAwaiter().GetResult();

    /// <summary>The remembered restore of these requests, if there is one and its files are still there.</summary>
    /// <remarks>Keyed by the requests as typed, so it loads no NuGet code.</remarks>
    private PackageSet? Remembered(IReadOnlyList<PackageRequest> requests, string directory, out string? memo)
    {
        var started = Stopwatch.GetTimestamp();
        memo = memoDirectory is null ? null : Path.Combine(memoDirectory, KeyFor(requests, directory) + ".json");
        return memo is not null && Remembered(memo) is { } known
            ? new PackageSet(known.Packages) { Restore = ("remembered", Stopwatch.GetElapsedTime(started)) }
            : null;
    }

    private static List<PackageRequest> Checked(IReadOnlyList<PackageRequest> requests, List<string> problems)
    {
        var valid = new List<PackageRequest>();
        foreach (var request in requests)
        {
            if (request.Check(out var problem) is { } parsed)
            {
                valid.Add(parsed);
            }
            else
            {
                problems.Add($"{request.Where}: error DS0102: {problem}");
            }
        }
        return valid;
    }

    /// <summary>
    /// One request per package: the same package asked for in several places gets the versions all
    /// of them accept, and when none is left that is one sentence naming both places.
    /// </summary>
    internal static IReadOnlyList<PackageRequest>? Merge(IReadOnlyList<PackageRequest> requests, List<string> problems)
    {
        var merged = new List<PackageRequest>();
        var before = problems.Count;
        foreach (var request in requests)
        {
            var index = merged.FindIndex(m => string.Equals(m.Id, request.Id, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                merged.Add(request);
                continue;
            }
            var earlier = merged[index];
            if (earlier.Range is null || request.Range is null)
            {
                merged[index] = earlier with { Range = earlier.Range ?? request.Range };
                continue;
            }
            var common = VersionRange.CommonSubSet([earlier.Range, request.Range]);
            if (IsEmpty(common))
            {
                problems.Add($"{request.Where}: error DS0102: {request.Id} is asked for as {PackageRequest.Text(request.Range)} here and as {PackageRequest.Text(earlier.Range)} at {earlier.Where}, and no version is both; make the two #r lines agree.");
                continue;
            }
            merged[index] = earlier with { Range = common };
        }
        return problems.Count > before ? null : merged;
    }

    private static bool IsEmpty(VersionRange range) =>
        range.HasLowerAndUpperBounds
        && (range.MinVersion > range.MaxVersion || (range.MinVersion == range.MaxVersion && !(range.IsMinInclusive && range.IsMaxInclusive)));

    private string KeyFor(IReadOnlyList<PackageRequest> requests, string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text ?? ""));
            hash.AppendData([0]);
        }
        Add("dockscript-packages/3");
        Add(RuntimeInformation.RuntimeIdentifier);
        Add(Environment.Version.ToString());
        Add(Path.GetFullPath(directory));
        Add(globalPackagesFolder ?? Environment.GetEnvironmentVariable("NUGET_PACKAGES"));
        foreach (var r in requests.OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Version, StringComparer.Ordinal))
        {
            Add(r.Id.ToLowerInvariant());
            Add(r.Version);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static PackageSet? Remembered(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            var packages = JsonSerializer.Deserialize(File.ReadAllBytes(path), PackageJson.Default.ListRestoredPackage);
            var set = packages is null ? null : new PackageSet(packages);
            return set is not null && set.IsOnDisk() ? set : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static void Remember(string path, PackageSet set)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(set.Packages.ToList(), PackageJson.Default.ListRestoredPackage));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not remembered: the next run resolves again (from the global packages folder).
        }
    }
}

/// <summary>A request that cannot be met, with the sentence that says why.</summary>
internal sealed class PackageException(PackageRequest request, string message) : Exception(message)
{
    public PackageRequest Request { get; } = request;
}
