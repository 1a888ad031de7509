using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace DockScript;

/// <summary>
/// A container's network namespace, entered directly: one dedicated thread calls <c>setns(2)</c>
/// on <c>/proc/&lt;pid&gt;/ns/net</c> and then runs whatever is queued to it. A socket made on that
/// thread lives in the container's namespace for its whole life, whichever thread later uses it,
/// so only socket creation is queued here; the I/O itself is ordinary async I/O.
/// </summary>
/// <remarks>
/// Needs a local engine, Linux and root (<see cref="DockerEngine.CanReadHostProc"/>). The thread
/// is never returned to a pool: it ends with the namespace, so no other code runs in the wrong
/// namespace by accident.
/// </remarks>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread thread;

    private NetworkNamespace(long pid, ulong inode)
    {
        Pid = pid;
        Inode = inode;
        thread = new Thread(Serve) { IsBackground = true, Name = $"netns {pid}" };
    }

    /// <summary>The container's main process on this host.</summary>
    public long Pid { get; }

    /// <summary>The namespace's inode: it tells a restarted container (new namespace) from the old one.</summary>
    public ulong Inode { get; }

    /// <summary>True while the process still runs in the namespace this thread entered.</summary>
    public bool IsCurrent => InodeOf(Pid) == Inode;

    /// <summary>Enters the namespace of process <paramref name="pid"/>; null when that is not possible here.</summary>
    public static async Task<NetworkNamespace?> EnterAsync(long pid)
    {
        if (pid <= 0 || InodeOf(pid) is not { } inode)
        {
            return null;
        }
        var ns = new NetworkNamespace(pid, inode);
        ns.thread.Start();
        if (await ns.entered.Task.ConfigureAwait(false))
        {
            return ns;
        }
        ns.Dispose();
        return null;
    }

    /// <summary>Runs <paramref name="action"/> on the namespace's thread (so sockets it makes live inside).</summary>
    public Task<T> RunAsync<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            work.Add(() =>
            {
                try
                {
                    done.SetResult(action());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            done.SetException(new ObjectDisposedException(nameof(NetworkNamespace)));
        }
        return done.Task;
    }

    private readonly TaskCompletionSource<bool> entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Serve()
    {
        try
        {
            using var handle = File.OpenHandle($"/proc/{Pid}/ns/net", FileMode.Open, FileAccess.Read);
            if (SetNs(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
            {
                // This thread must never serve from the host's namespace: stop here.
                entered.SetResult(false);
                return;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended meanwhile.
            entered.SetResult(false);
            return;
        }
        entered.SetResult(true);
        foreach (var item in work.GetConsumingEnumerable())
        {
            item();
        }
    }

    private static ulong? InodeOf(long pid)
    {
        try
        {
            var target = new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
            // The link reads "net:[4026532281]".
            if (target is not null && target.StartsWith("net:[", StringComparison.Ordinal)
                && ulong.TryParse(target.AsSpan(5, target.Length - 6), out var inode))
            {
                return inode;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    /// <inheritdoc/>
    private Lazy<Task<EchoSocket?>>? echo;

    /// <summary>The namespace's shared ping socket, opened on first use; null where ping sockets are not allowed.</summary>
    public Task<EchoSocket?> EchoSocketAsync() =>
        LazyInitializer.EnsureInitialized(ref echo, () => new Lazy<Task<EchoSocket?>>(() => EchoSocket.OpenAsync(this))).Value;

    public void Dispose()
    {
        if (echo is { IsValueCreated: true } opened)
        {
            _ = opened.Value.ContinueWith(t => t.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
        if (!work.IsAddingCompleted)
        {
            work.CompleteAdding();
        }
    }
}
