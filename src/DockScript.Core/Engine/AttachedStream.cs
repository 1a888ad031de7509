using Docker.DotNet;

namespace DockScript;

/// <summary>A container's attached stdin and (demultiplexed) output, without Docker.DotNet's types.</summary>
internal sealed class AttachedStream(MultiplexedStream stream) : IDisposable
{
    /// <summary>One read of output: how many bytes, and whether the stream has ended.</summary>
    public readonly record struct Chunk(int Count, bool EOF);

    public Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => stream.WriteAsync(buffer, offset, count, ct);

    /// <exception cref="IOException">The engine broke the stream off.</exception>
    public async Task<Chunk> ReadOutputAsync(byte[] buffer, int offset, int count, CancellationToken ct)
    {
        try
        {
            var read = await stream.ReadOutputAsync(buffer, offset, count, ct).ConfigureAwait(false);
            return new Chunk(read.Count, read.EOF);
        }
        catch (DockerApiException e)
        {
            throw new IOException(EngineErrors.MessageOf(e), e);
        }
    }

    public void Dispose() => stream.Dispose();
}
