namespace DockScript;

/// <summary>
/// Makes sure an image is on the engine before a container is run from it: lab images are built
/// locally from busybox, any other image is pulled (with progress) when a registry answers.
/// </summary>
internal sealed class Images : IDisposable
{
    private readonly ImageOperations images;
    private readonly DockerGateway gateway;
    private readonly Func<IReadOnlyDictionary<string, string>?, Dictionary<string, string>> labelsFor;
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <param name="gateway">The way to the engine.</param>
    /// <param name="labelsFor">The session's labels, for the short-lived container a build may need.</param>
    internal Images(DockerGateway gateway, Func<IReadOnlyDictionary<string, string>?, Dictionary<string, string>> labelsFor)
    {
        this.gateway = gateway;
        images = gateway.Images;
        this.labelsFor = labelsFor;
    }

    /// <summary>Shows pull progress; set by the CLI or REPL. Null means pull silently.</summary>
    public PullDisplay? PullDisplay { get; set; }

    /// <summary>True if the image is on the engine.</summary>
    /// <example><code>Lab.Images.Exists("dockscript/web")</code></example>
    public bool Exists(string image) => Ambient.Wait(ct => ExistsAsync(image, ct));

    /// <inheritdoc cref="Exists"/>
    public async Task<bool> ExistsAsync(string image, CancellationToken ct = default) =>
        await InspectOrNullAsync(image, ct).ConfigureAwait(false) is not null;

    /// <summary>Makes <paramref name="image"/> available: builds a lab image, else pulls a missing one.</summary>
    /// <exception cref="ImageUnavailableException">The image is absent and cannot be built or pulled.</exception>
    public void Ensure(string image) => Ambient.Wait(ct => EnsureAsync(image, ct));

    /// <inheritdoc cref="Ensure"/>
    public async Task EnsureAsync(string image, CancellationToken ct = default)
    {
        if (LabImage.Find(image) is { } lab)
        {
            await EnsureLabImageAsync(lab, ct).ConfigureAwait(false);
            return;
        }
        if (await InspectOrNullAsync(image, ct).ConfigureAwait(false) is null)
        {
            await PullAsync(image, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Builds a lab image unless an up-to-date one is already on the engine.</summary>
    public async Task EnsureLabImageAsync(LabImage lab, CancellationToken ct = default)
    {
        if (IsCurrent(await InspectOrNullAsync(lab.Name, ct).ConfigureAwait(false)))
        {
            return;
        }
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (IsCurrent(await InspectOrNullAsync(lab.Name, ct).ConfigureAwait(false)))
            {
                return;
            }
            await BuildAsync(lab, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Builds (or rebuilds) a lab image from this machine's static busybox.</summary>
    public async Task BuildAsync(LabImage lab, CancellationToken ct = default)
    {
        if (lab.AllChanges.FirstOrDefault(c => !ImportableInstructions.Contains(c.Split(' ', 2)[0])) is { } refused)
        {
            throw new ImageUnavailableException(
                $"The lab image {lab.Name} asks for '{refused}', which docker import does not accept; use only {string.Join(", ", ImportableInstructions)}.");
        }
        var busybox = await ReadBusyboxAsync(ct).ConfigureAwait(false);
        using var tar = RootFilesystem.Build(lab, busybox);
        var repoTag = lab.Name.Split(':');
        string? error;
        try
        {
            error = await images.ImportAsync(tar, repoTag[0], repoTag.Length > 1 ? repoTag[1] : "latest", $"built by DockScript {LabInfo.Version}",
                lab.AllChanges.ToList(), $"import the lab image {lab.Name}", ct).ConfigureAwait(false);
        }
        catch (EngineUnavailableException e)
        {
            // The daemon rejects a bad import before reading the upload and closes the connection, which
            // reaches us as a broken pipe; if the engine still answers, that is what happened.
            if (!await images.AnswersAsync(ct).ConfigureAwait(false))
            {
                throw;
            }
            throw new ImageUnavailableException($"The engine refused to import the lab image {lab.Name} (it closed the upload early); see the engine's log for why.", e);
        }
        catch (DockScriptException e) when (e.EngineSays is { } says)
        {
            // A small upload can finish before the daemon objects; then its words arrive intact.
            throw new ImageUnavailableException($"The engine refused to import the lab image {lab.Name}: {says.TrimEnd('.')}.", e);
        }
        if (error is not null || !IsCurrent(await InspectOrNullAsync(lab.Name, ct).ConfigureAwait(false)))
        {
            throw new ImageUnavailableException($"The engine refused to import the lab image {lab.Name}: {error ?? "it is not there after the import"}.");
        }
    }

    /// <summary>The Dockerfile instructions the engine applies when importing a root filesystem.</summary>
    private static readonly string[] ImportableInstructions = ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR"];

    /// <summary>Whether a lab image is on the engine and built by this DockScript's recipe.</summary>
    /// <example><code>await Lab.Images.StateOfAsync(LabImage.Web)   // Current</code></example>
    public async Task<LabImageState> StateOfAsync(LabImage lab, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var image = await InspectOrNullAsync(lab.Name, ct).ConfigureAwait(false);
        return image is null ? LabImageState.Missing : IsCurrent(image) ? LabImageState.Current : LabImageState.Outdated;
    }

    /// <summary>The static busybox lab images are built from, or null when this machine has none (then one is pulled).</summary>
    public static string? StaticBusyboxPath => StaticBusybox.Find();

    private static bool IsCurrent(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null
        && labels.TryGetValue(LabImage.VersionLabel, out var v)
        && v == LabImage.ContentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<byte[]> ReadBusyboxAsync(CancellationToken ct)
    {
        if (StaticBusybox.Find() is { } path)
        {
            return await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        // No static busybox here: borrow the binary from the registry's busybox image instead.
        try
        {
            await EnsureAsync("busybox:latest", ct).ConfigureAwait(false);
        }
        catch (ImageUnavailableException e)
        {
            throw new ImageUnavailableException(
                "DockScript builds its lab images from a static busybox, but this machine has none and no registry is reachable to pull one; install busybox-static (apt-get install busybox-static) or set DOCKSCRIPT_BUSYBOX.", e);
        }
        return await CopyBusyboxOutOfImageAsync(ct).ConfigureAwait(false);
    }

    private async Task<byte[]> CopyBusyboxOutOfImageAsync(CancellationToken ct)
    {
        var id = await gateway.Containers.CreateAsync(BusyboxSource(labelsFor), "create a container to copy busybox from", ct).ConfigureAwait(false);
        try
        {
            return await gateway.Archive.ReadBytesAsync(id, "busybox", "/bin/busybox", ct).ConfigureAwait(false);
        }
        catch (NotFoundException e)
        {
            throw new ImageUnavailableException("The busybox image has no /bin/busybox to build the lab images from; install busybox-static instead.", e);
        }
        finally
        {
            await gateway.Containers.TryRemoveAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The short-lived container busybox is copied out of. It carries the session's labels, so a
    /// cleanup (or 'dockscript down') finds it should the removal after the copy fail.
    /// </summary>
    internal static ContainerSpec BusyboxSource(Func<IReadOnlyDictionary<string, string>?, Dictionary<string, string>> labelsFor) =>
        new("busybox:latest", labelsFor(new Dictionary<string, string> { [LabLabels.Role] = "busybox-source" })) { Cmd = ["true"] };

    /// <summary>Pulls an image, reporting progress through <see cref="PullDisplay"/>.</summary>
    /// <exception cref="ImageUnavailableException">No registry answers, or it has no such image.</exception>
    public async Task PullAsync(string image, CancellationToken ct = default)
    {
        var (repo, tag) = SplitReference(image);
        string? error = null;
        async Task Pull(IProgress<PullStatus> report) => error = await images.PullAsync(image, repo, tag, report, ct).ConfigureAwait(false);

        if (PullDisplay is { } display)
        {
            await display(image, Pull).ConfigureAwait(false);
        }
        else
        {
            await Pull(new SyncProgress<PullStatus>(_ => { })).ConfigureAwait(false);
        }

        if (error is not null)
        {
            throw new ImageUnavailableException(IsOffline(error)
                ? $"Image '{image}' is not on this engine and no registry is reachable to pull it; use a lab image (dockscript/web, dockscript/toolbox) or load '{image}' with 'docker load'."
                : $"Image '{image}' is not on this engine and pulling it failed: {error.TrimEnd('.')}.");
        }
    }

    private static bool IsOffline(string error) =>
        error.Contains("dial tcp", StringComparison.OrdinalIgnoreCase)
        || error.Contains("no such host", StringComparison.OrdinalIgnoreCase)
        || error.Contains("connection refused", StringComparison.OrdinalIgnoreCase)
        || error.Contains("timeout", StringComparison.OrdinalIgnoreCase)
        || error.Contains("network is unreachable", StringComparison.OrdinalIgnoreCase)
        || error.Contains("i/o timeout", StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits <c>repo[:tag][@digest]</c>, minding registry ports such as <c>host:5000/x</c>.</summary>
    internal static (string Repo, string Tag) SplitReference(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return (image, "");
        }
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    internal Task<IReadOnlyDictionary<string, string>?> InspectOrNullAsync(string image, CancellationToken ct) =>
        images.LabelsOrNullAsync(image, ct);

    /// <summary>Releases the build lock (the session is over).</summary>
    public void Dispose() => gate.Dispose();
}

/// <summary>Whether a lab image is ready on the engine.</summary>
internal enum LabImageState
{
    /// <summary>Not on the engine: built the first time it is needed.</summary>
    Missing,

    /// <summary>On the engine, from an older DockScript: rebuilt the next time it is needed.</summary>
    Outdated,

    /// <summary>On the engine and up to date.</summary>
    Current,
}
