using System.Collections.Concurrent;

namespace DockScript;

// Capture: a packet socket inside a container's namespace (see Probes.cs for the class).
public sealed partial class Probes
{
    /// <summary>Captures not yet stopped: a cleanup or <c>#reset</c> stops them, so each ends in the journal.</summary>
    private readonly ConcurrentDictionary<PacketCapture, bool> captures = new();

    /// <inheritdoc cref="CaptureAsync"/>
    public PacketCapture Capture(Container container, string? filter = null, int maxPackets = CaptureOptions.DefaultMaxPackets, long maxBytes = CaptureOptions.DefaultMaxBytes) =>
        Ambient.Wait(ct => CaptureAsync(container, filter, maxPackets, maxBytes, ct));

    /// <summary>
    /// Starts capturing on every interface of <paramref name="container"/>'s network namespace
    /// (what <c>tcpdump -i any</c> would see inside it) and returns once the capture hears, so
    /// whatever the script does next is seen.
    /// </summary>
    /// <exception cref="DockScriptException">A bad filter or limit, a stopped container, or no local path.</exception>
    public async Task<PacketCapture> CaptureAsync(Container container, string? filter = null, int maxPackets = CaptureOptions.DefaultMaxPackets,
        long maxBytes = CaptureOptions.DefaultMaxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        var options = CaptureOptions.Of(filter, maxPackets, maxBytes);
        return await StartCaptureAsync(container, container.Name, options, ct).ConfigureAwait(false);
    }

    /// <inheritdoc cref="CaptureOutsideAsync"/>
    public PacketCapture CaptureOutside(string? filter = null, int maxPackets = CaptureOptions.DefaultMaxPackets, long maxBytes = CaptureOptions.DefaultMaxBytes) =>
        Ambient.Wait(ct => CaptureOutsideAsync(filter, maxPackets, maxBytes, ct));

    /// <summary>
    /// Starts capturing at the outside server that <c>Masquerade</c> calls (started if need be):
    /// what arrives from the lab there shows the address it left the host with (seed S7).
    /// </summary>
    public async Task<PacketCapture> CaptureOutsideAsync(string? filter = null, int maxPackets = CaptureOptions.DefaultMaxPackets,
        long maxBytes = CaptureOptions.DefaultMaxBytes, CancellationToken ct = default)
    {
        var options = CaptureOptions.Of(filter, maxPackets, maxBytes);
        RequireLocalPath();
        var world = await Pool.OutsideAsync(ct).ConfigureAwait(false);
        return await StartCaptureAsync(world.Server, "outside", options, ct).ConfigureAwait(false);
    }

    private async Task<PacketCapture> StartCaptureAsync(Container container, string name, CaptureOptions options, CancellationToken ct)
    {
        RequireLocalPath();
        var state = await cache.InspectAsync(container, fresh: true, ct).ConfigureAwait(false);
        if (!state.Running || state.Pid <= 0)
        {
            throw new DockScriptException($"{name} is not running, so it has no network namespace to capture in; start it first.");
        }
        var ns = await Pool.NamespaceOfAsync(container, state.Pid).ConfigureAwait(false)
                 ?? throw new DockScriptException($"Could not enter {name}'s network namespace (its process {state.Pid} ended meanwhile?); try again.");
        var socket = await ns.RunAsync(PacketSocket.Open).ConfigureAwait(false);
        PacketCapture? capture = null;
        capture = new PacketCapture(name, options, socket, result =>
        {
            captures.TryRemove(capture!, out _);
            Record(new JournalEntry.Capture(result));
        });
        captures[capture] = true;
        return capture;
    }

    private void RequireLocalPath()
    {
        if (!FastPath)
        {
            var why = lab.Options.ForcePortable ? "this session is forced onto the portable path (DOCKSCRIPT_PORTABLE)"
                : !lab.Engine.Endpoint.IsLocal ? "this session reaches the engine remotely"
                : "DockScript is not running as root";
            throw new DockScriptException($"Capture needs the local path, a root DockScript on the engine's own host, but {why}; run it there, or run tcpdump in a container with --network container:NAME.");
        }
    }

    /// <summary>Stops every capture still running (each is recorded in the journal as it stops).</summary>
    private void StopCaptures()
    {
        foreach (var capture in captures.Keys)
        {
            capture.Dispose();
        }
    }
}
