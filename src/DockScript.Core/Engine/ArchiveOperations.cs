using System.Text;
using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Files copied out of containers through the engine's archive API (works on any image).</summary>
internal sealed class ArchiveOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>The first regular file of the archive of <paramref name="path"/>, as bytes.</summary>
    /// <exception cref="NotFoundException">No such container (named <paramref name="name"/>), or no such file.</exception>
    public async Task<byte[]> ReadBytesAsync(string containerId, string name, string path, CancellationToken ct)
    {
        using var data = new MemoryStream();
        await ReadAsync(containerId, name, path, (s, token) => s.CopyToAsync(data, token), ct).ConfigureAwait(false);
        return data.ToArray();
    }

    /// <summary>The first regular file of the archive of <paramref name="path"/>, as UTF-8 text.</summary>
    /// <exception cref="NotFoundException">No such container (named <paramref name="name"/>), or no such file.</exception>
    public async Task<string> ReadTextAsync(string containerId, string name, string path, CancellationToken ct)
    {
        var text = "";
        await ReadAsync(containerId, name, path, async (s, token) =>
        {
            using var reader = new StreamReader(s, Encoding.UTF8);
            text = await reader.ReadToEndAsync(token).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        return text;
    }

    private async Task ReadAsync(string containerId, string name, string path, Func<Stream, CancellationToken, Task> consume, CancellationToken ct, int links = 0)
    {
        ContainerArchiveResponse archive;
        try
        {
            archive = await EngineErrors.Guard(engine.Endpoint, $"read {path} in {name}", () => engine.Client.Containers.GetArchiveFromContainerAsync(
                containerId, new ContainerPathStatParameters { Path = path }, false, ct), ct).ConfigureAwait(false);
        }
        catch (DockScriptException e) when (EngineErrors.IsNotFound(e))
        {
            // The archive endpoint answers 404 both for a missing container and for a missing path.
            throw e.EngineSays?.Contains("No such container", StringComparison.OrdinalIgnoreCase) == true
                ? new NotFoundException($"Container '{name}' no longer exists.")
                : new NotFoundException($"{name} has no file {path}.");
        }
        using var stream = archive.Stream ?? Stream.Null;
        using var tar = new System.Formats.Tar.TarReader(stream);
        while (await tar.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                await consume(data, ct).ConfigureAwait(false);
                return;
            }
            if (entry.EntryType == System.Formats.Tar.TarEntryType.SymbolicLink && links < 40)
            {
                // The engine resolves the link's own path within the container, as the container would.
                var target = entry.LinkName.StartsWith('/') ? entry.LinkName : $"{path[..(path.LastIndexOf('/') + 1)]}{entry.LinkName}";
                await ReadAsync(containerId, name, target, consume, ct, links + 1).ConfigureAwait(false);
                return;
            }
        }
        throw new DockScriptException($"{path} in {name} is not a regular file.");
    }
}
