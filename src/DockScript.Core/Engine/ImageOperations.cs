using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Images on the engine: inspect, pull, import a root filesystem.</summary>
internal sealed class ImageOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>The image's labels, or null when the engine has no such image.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> LabelsOrNullAsync(string image, CancellationToken ct)
    {
        try
        {
            var inspected = await EngineErrors.Guard(engine.Endpoint, $"inspect image {image}",
                () => engine.Client.Images.InspectImageAsync(image, ct), ct).ConfigureAwait(false);
            return new Dictionary<string, string>(inspected.Config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Imports <paramref name="tar"/> as <paramref name="repo"/>:<paramref name="tag"/>; returns the
    /// engine's error message from the progress stream, if it sent one.
    /// </summary>
    public async Task<string?> ImportAsync(Stream tar, string repo, string tag, string message, IReadOnlyList<string> changes, string what, CancellationToken ct)
    {
        var parameters = new ImagesCreateParameters { FromSrc = "-", Repo = repo, Tag = tag, Message = message, Changes = changes.ToList() };
        string? error = null;
        var progress = new SyncProgress<JSONMessage>(m => error ??= m.Error?.Message);
        await EngineErrors.Guard(engine.Endpoint, what, () => engine.Client.Images.CreateImageAsync(parameters, tar, null, progress, ct), ct).ConfigureAwait(false);
        return error;
    }

    /// <summary>Pulls an image, reporting each progress message; returns the engine's error, if any.</summary>
    public async Task<string?> PullAsync(string image, string repo, string tag, IProgress<PullStatus> report, CancellationToken ct)
    {
        string? error = null;
        var progress = new SyncProgress<JSONMessage>(m =>
        {
            if (m.Error is { } e)
            {
                error ??= e.Message;
            }
            report.Report(new PullStatus(image, m.ID, m.Status ?? "", m.Progress?.Current, m.Progress?.Total));
        });
        try
        {
            await EngineErrors.Guard(engine.Endpoint, $"pull {image}", () => engine.Client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = repo, Tag = tag }, null, progress, ct), ct).ConfigureAwait(false);
        }
        catch (DockScriptException e) when (e is not EngineUnavailableException && e.EngineSays is { } says)
        {
            error ??= says;
        }
        return error;
    }

    /// <summary>True when the engine answers a ping.</summary>
    public async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try
        {
            await EngineErrors.Guard(engine.Endpoint, "ping the engine", () => engine.Client.System.PingAsync(ct), ct).ConfigureAwait(false);
            return true;
        }
        catch (EngineUnavailableException)
        {
            return false;
        }
    }
}
