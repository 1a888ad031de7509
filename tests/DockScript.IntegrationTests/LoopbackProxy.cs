using System.Net;
using System.Net.Sockets;

namespace DockScript.IntegrationTests;

/// <summary>
/// Forwards TCP connections on a loopback port to the engine's Unix socket: the same engine, as a
/// remote one would be. <see cref="Hang"/> makes it an engine that accepts requests and never
/// answers, until <see cref="Release"/>.
/// </summary>
internal sealed class LoopbackProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private volatile TaskCompletionSource flowing = Open();
    private int connections;

    public LoopbackProxy(string socketPath)
    {
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                _ = Task.Run(async () =>
                {
                    using var tcp = client;
                    using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                    using var engine = new NetworkStream(unix, ownsSocket: false);
                    var a = PumpAsync(tcp.GetStream(), engine);
                    var b = PumpAsync(engine, tcp.GetStream());
                    await Task.WhenAny(a, b);
                });
            }
        });
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref connections);

    /// <summary>From now on nothing is forwarded either way: the engine seems to hang.</summary>
    public void Hang() => flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Forwards again, what was held back included.</summary>
    public void Release() => flowing.TrySetResult();

    private async Task PumpAsync(Stream from, Stream to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, stop.Token);
                if (n == 0)
                {
                    return;
                }
                await flowing.Task.WaitAsync(stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, n), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // One side went away: the connection is over.
        }
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
