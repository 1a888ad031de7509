using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DockScript;

/// <summary>
/// One ICMP "ping socket" (<c>SOCK_DGRAM</c>, <c>IPPROTO_ICMP</c>) per namespace, shared by every
/// echo sent from it: each echo gets its own sequence number and waits for its own reply.
/// </summary>
/// <remarks>
/// Why not the BCL's <see cref="System.Net.NetworkInformation.Ping"/> per echo: as root it opens a
/// raw socket, and every raw ICMP socket of a namespace hears every ICMP packet that arrives
/// there. A matrix of 100 has about 100 echoes in flight per namespace, and as many requests
/// arriving from the others: a million copies to read on two cores, and replies that come too late.
/// A ping socket hears only its own replies (the kernel sets the identifier and the checksum), and
/// one per namespace is one file descriptor, not one per echo. Docker (20.10 and later) allows them
/// in containers through <c>net.ipv4.ping_group_range</c>; where they are not allowed,
/// <see cref="OpenAsync"/> returns null and the BCL's ping is used.
/// </remarks>
internal sealed class EchoSocket : IDisposable
{
    private const int HeaderLength = 8;
    private const int PayloadLength = 32;
    private readonly Socket socket;
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource> waiting = new();
    private readonly CancellationTokenSource stop = new();
    private int sequence;

    private EchoSocket(Socket socket)
    {
        this.socket = socket;
        _ = ReceiveAsync();
    }

    /// <summary>Opens the namespace's ping socket on its thread; null when the namespace does not allow one.</summary>
    public static async Task<EchoSocket?> OpenAsync(NetworkNamespace ns)
    {
        try
        {
            return new EchoSocket(await ns.RunAsync(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Icmp)).ConfigureAwait(false));
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>One echo; the round trip, or null when no reply came within <paramref name="timeout"/> (or it could not be sent).</summary>
    public async Task<TimeSpan?> EchoAsync(IPAddress address, TimeSpan timeout, CancellationToken ct)
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ushort seq;
        do
        {
            seq = (ushort)Interlocked.Increment(ref sequence);
        }
        while (!waiting.TryAdd(seq, reply));
        var packet = new byte[HeaderLength + PayloadLength];
        packet[0] = 8; // echo request, code 0; the kernel fills in the identifier and the checksum
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), seq);
        var clock = Stopwatch.StartNew();
        try
        {
            await socket.SendToAsync(packet, SocketFlags.None, new IPEndPoint(address, 0), ct).ConfigureAwait(false);
            await reply.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            return clock.Elapsed;
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (SocketException)
        {
            // No route from inside (e.g. the 'none' network): the echo never left; Diagnosis says why.
            return null;
        }
        finally
        {
            waiting.TryRemove(seq, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1500];
        while (!stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for some earlier echo: that echo times out on its own.
                continue;
            }
            // A ping socket receives the ICMP message without the IP header.
            if (n >= HeaderLength && buffer[0] == 0 && waiting.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6)), out var done))
            {
                done.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        stop.Dispose();
    }
}
