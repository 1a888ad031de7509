using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace DockScript;

/// <summary>
/// A shell kept running in a probe helper, fed over the container's attached stdin. Every probe
/// is one line written to it, run as a background job, so probes neither pay for a
/// <c>docker exec</c> (tens of milliseconds each) nor wait for each other. Each job prints its
/// output between two markers that carry its id, in a single write, so concurrent answers do not
/// mix.
/// </summary>
internal sealed class HelperShell : IDisposable
{
    private const char Marker = '\u001e';
    private readonly AttachedStream stream;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<(int Code, string Output)>> pending = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private long nextId;
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
        var words = string.Join(' ', argv.Select(Quote));
        // The exit code rides after the output inside $(…), so trailing newlines of the output survive.
        var line = $"( out=$({words} 2>&1; printf '\\036%s' $?); printf '\\036B %s\\n%s\\n\\036E %s\\n' {id} \"$out\" {id} ) &\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        try
        {
            await writing.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
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
        var text = new StringBuilder();
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[buffer.Length];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, stop.Token).ConfigureAwait(false);
                if (read.EOF)
                {
                    throw new IOException("the helper's shell ended");
                }
                var n = decoder.GetChars(buffer, 0, read.Count, chars, 0);
                text.Append(chars, 0, n);
                Drain(text);
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

    /// <summary>Takes every complete answer (from its begin marker to its end line) out of <paramref name="text"/>.</summary>
    private void Drain(StringBuilder text)
    {
        while (true)
        {
            var all = text.ToString();
            var begin = all.IndexOf(Marker + "B ", StringComparison.Ordinal);
            if (begin < 0)
            {
                text.Clear();
                return;
            }
            var headEnd = all.IndexOf('\n', begin);
            if (headEnd < 0)
            {
                return;
            }
            var id = all[(begin + 3)..headEnd];
            var endMark = $"\n{Marker}E {id}\n";
            var end = all.IndexOf(endMark, headEnd, StringComparison.Ordinal);
            if (end < 0)
            {
                return;
            }
            var tailEnd = end + endMark.Length - 1;
            var body = all[(headEnd + 1)..end];
            var split = body.LastIndexOf(Marker);
            var output = split >= 0 ? body[..split] : body;
            var code = split >= 0 && int.TryParse(body[(split + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : -1;
            if (long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var key) && pending.TryGetValue(key, out var waiting))
            {
                waiting.TrySetResult((code, output));
            }
            text.Remove(0, tailEnd + 1);
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <inheritdoc/>
    public void Dispose()
    {
        stop.Cancel();
        stream.Dispose();
    }
}
