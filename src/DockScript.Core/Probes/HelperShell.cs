using System.Collections.Concurrent;
using System.Text;

namespace DockScript;

/// <summary>
/// A shell kept running in a probe helper, fed over the container's attached stdin. Every probe
/// is one line written to it, run as a background job, so probes neither pay for a
/// <c>docker exec</c> (tens of milliseconds each) nor wait for each other. How answers are framed,
/// so that they neither mix nor can be forged by what a tool prints, is <see cref="HelperFrames"/>.
/// </summary>
internal sealed class HelperShell : IDisposable
{
    private readonly AttachedStream stream;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<(int Code, string Output)>> pending = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly HelperFrames frames = new();
    private long nextId;
    private bool setUp;
    private volatile Exception? broken;

    private HelperShell(AttachedStream stream)
    {
        this.stream = stream;
        _ = Task.Run(ReadAsync);
    }

    /// <summary>False once the shell's stream has ended (the helper was stopped or removed).</summary>
    public bool Alive => broken is null;

    /// <summary>Attaches to the (created, not yet started) helper's stdin and output.</summary>
    public static async Task<HelperShell> AttachAsync(ContainerOperations containers, string containerId, CancellationToken ct)
    {
        var stream = await containers.AttachAsync(containerId, "attach to a probe helper", ct).ConfigureAwait(false);
        return new HelperShell(stream);
    }

    /// <summary>
    /// Runs <paramref name="argv"/> in the helper; returns its exit code and output (stdout and
    /// stderr together), or null when it has not answered within <paramref name="budget"/>.
    /// </summary>
    public async Task<(int Code, string Output)?> RunAsync(IReadOnlyList<string> argv, TimeSpan budget, CancellationToken ct)
    {
        if (broken is { } e)
        {
            throw new DockScriptException($"The probe helper stopped answering ({e.Message}); the next probe starts a new one.", e);
        }
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<(int, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var line = HelperFrames.Command(id, argv);
        try
        {
            await writing.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var bytes = Encoding.UTF8.GetBytes(setUp ? line : HelperFrames.Setup + line);
                await stream.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
                setUp = true;
            }
            finally
            {
                writing.Release();
            }
            return await answer.Task.WaitAsync(budget, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The tool goes on in the helper until its own limit; its answer is no longer wanted.
            return null;
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[16384];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, stop.Token).ConfigureAwait(false);
                if (read.EOF)
                {
                    throw new IOException("the helper's shell ended");
                }
                foreach (var (id, code, output) in frames.Feed(buffer.AsSpan(0, read.Count)))
                {
                    if (pending.TryGetValue(id, out var waiting))
                    {
                        waiting.TrySetResult((code, output));
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or DockScriptException)
        {
            broken = e;
            foreach (var waiting in pending.Values)
            {
                waiting.TrySetException(new DockScriptException($"The probe helper stopped answering ({e.Message}).", e));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        stop.Cancel();
        stream.Dispose();
    }
}
