namespace DockScript;

/// <summary>
/// "The engine's state changed because DockScript changed it": announced by the gateway on every
/// call that creates, starts, stops, connects, disconnects or removes something, and read by
/// whatever keeps engine state (the probes' state cache, Probes/StateCache.cs).
/// </summary>
/// <remarks>
/// Process-wide, not per <see cref="Lab"/>: a change made through any session object of this
/// process (a script's, a REPL's, a test's second view of one session) must reach every cache, or
/// a helper that still holds a stopped source's namespace could answer for it. Subscribers compare
/// a stamp rather than register a handler, so a forgotten cache never leaks.
/// </remarks>
internal static class EngineChanges
{
    private static long stamp;

    /// <summary>Grows by one on each announced change; a cache entry older than it is stale.</summary>
    public static long Stamp => Interlocked.Read(ref stamp);

    /// <summary>
    /// A container DockScript removed: whatever was kept for it (a namespace thread, a helper's
    /// shell) can go. Subscribers unsubscribe when they are disposed.
    /// </summary>
    public static event Action<string>? ContainerRemoved;

    /// <summary>Announces a change (called by the gateway only).</summary>
    internal static void Announce() => Interlocked.Increment(ref stamp);

    /// <summary>Announces that a container is gone (called by the gateway only).</summary>
    internal static void AnnounceRemoved(string containerId)
    {
        Announce();
        ContainerRemoved?.Invoke(containerId);
    }
}
