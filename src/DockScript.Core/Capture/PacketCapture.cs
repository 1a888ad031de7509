using System.Globalization;

namespace DockScript;

/// <summary>
/// A packet capture running inside a container's network namespace, on all its interfaces: what
/// tcpdump would see there. <c>Stop()</c> (or <c>Dispose</c>) ends it; <see cref="Packets"/> holds
/// the decoded packets, and <see cref="SavePcap"/> writes them for tcpdump or Wireshark. It stops
/// by itself at <see cref="MaxPackets"/> or <see cref="MaxBytes"/> and says so.
/// </summary>
/// <example><code>var cap = Capture(web1, "icmp"); Ping(web1, web2, count: 1); cap.Stop();</code></example>
public sealed class PacketCapture : IDisposable, IAsyncDisposable
{
    private readonly CaptureFilter filter;
    private readonly PacketSocket socket;
    private readonly Action<CaptureResult> record;
    private readonly object gate = new();
    private readonly List<CapturedFrame> frames = [];
    private readonly List<CapturedPacket> packets = [];
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long bytes;
    private long dropped;
    private string? limit;
    private CaptureResult? result;

    internal PacketCapture(string container, CaptureOptions options, PacketSocket socket, Action<CaptureResult> record)
    {
        Container = container;
        Filter = options.Filter;
        MaxPackets = options.MaxPackets;
        MaxBytes = options.MaxBytes;
        filter = options.Parsed;
        this.socket = socket;
        this.record = record;
        // A thread of its own, not the pool's: it sleeps in poll(2) for the capture's whole life.
        new Thread(Read) { IsBackground = true, Name = $"capture {container}" }.Start();
    }

    /// <summary>The container whose namespace is captured in.</summary>
    public string Container { get; }

    /// <summary>The filter as written; null for every packet.</summary>
    public string? Filter { get; }

    /// <summary>The most packets it keeps; it stops when it has this many.</summary>
    public int MaxPackets { get; }

    /// <summary>The most bytes it keeps; it stops before a packet would pass this.</summary>
    public long MaxBytes { get; }

    /// <summary>True until it is stopped or reaches a limit.</summary>
    public bool Running => !ended.Task.IsCompleted;

    /// <summary>True when it stopped by itself at <see cref="MaxPackets"/> or <see cref="MaxBytes"/>.</summary>
    public bool LimitReached
    {
        get
        {
            lock (gate)
            {
                return limit is not null;
            }
        }
    }

    /// <summary>The packets so far, decoded, oldest first.</summary>
    public IReadOnlyList<CapturedPacket> Packets
    {
        get
        {
            lock (gate)
            {
                return [.. packets];
            }
        }
    }

    /// <summary>Stops the capture (waiting for the packets already queued) and returns what it saw; again, the same result.</summary>
    /// <example><code>cap.Stop().Packets.Select(p => p.Summary)</code></example>
    public CaptureResult Stop() => Ambient.Wait(StopAsync);

    /// <inheritdoc cref="Stop"/>
    public async Task<CaptureResult> StopAsync(CancellationToken ct = default)
    {
        socket.Wake();
        await ended.Task.WaitAsync(ct).ConfigureAwait(false);
        CaptureResult? first = null;
        lock (gate)
        {
            if (result is null)
            {
                first = result = Snapshot();
            }
        }
        if (first is not null)
        {
            record(first);
        }
        return result;
    }

    /// <summary>Writes the packets kept so far as a pcap file (link type Linux SLL) that tcpdump and Wireshark read.</summary>
    /// <example><code>cap.SavePcap("ping.pcap");   // then: tcpdump -r ping.pcap</code></example>
    public void SavePcap(string path) => Ambient.Wait(ct => SavePcapAsync(path, ct));

    /// <inheritdoc cref="SavePcap"/>
    public Task SavePcapAsync(string path, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DockScriptException("SavePcap needs a file path, like \"capture.pcap\".");
        }
        List<CapturedFrame> copy;
        lock (gate)
        {
            copy = [.. frames];
        }
        return SaveAsync(path, copy, ct);
    }

    private static async Task SaveAsync(string path, List<CapturedFrame> copy, CancellationToken ct)
    {
        try
        {
            await PcapFile.WriteAsync(path, copy, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockScriptException($"Could not write the capture to '{path}': {e.Message}", e);
        }
    }

    /// <summary>Stops the capture (see <see cref="Stop"/>).</summary>
    public void Dispose() => StopAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc/>
    public override string ToString()
    {
        lock (gate)
        {
            var state = result is not null || limit is not null ? "" : " (running)";
            return Snapshot() + state;
        }
    }

    private CaptureResult Snapshot() =>
        new(Container, Filter, [.. packets]) { Bytes = bytes, LimitReached = limit is not null, Limit = limit, Dropped = dropped };

    private void Read()
    {
        try
        {
            socket.Run(Take);
            dropped = socket.Dropped();
        }
        finally
        {
            socket.Dispose();
            ended.TrySetResult();
        }
    }

    /// <summary>Keeps one frame if the filter passes it; false once a limit is reached (the reading ends).</summary>
    private bool Take(CapturedFrame frame)
    {
        var (packet, facts) = PacketDecoder.Decode(frame);
        if (!filter.Matches(facts))
        {
            return true;
        }
        lock (gate)
        {
            if (bytes + packet.Length > MaxBytes)
            {
                limit = ByteSize.Format((ulong)MaxBytes);
                return false;
            }
            frames.Add(frame);
            packets.Add(packet);
            bytes += packet.Length;
            if (packets.Count >= MaxPackets)
            {
                limit = string.Create(CultureInfo.InvariantCulture, $"{MaxPackets:N0} packets");
                return false;
            }
            return true;
        }
    }
}
