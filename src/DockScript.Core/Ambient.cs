namespace DockScript;

/// <summary>
/// The cancellation of the current script or REPL submission. The blocking forms of the DSL
/// (<c>Networks.Create(…)</c> rather than <c>CreateAsync</c>) honour it, so Ctrl+C stops a call
/// without ending the session.
/// </summary>
public static class Ambient
{
    private static readonly AsyncLocal<CancellationToken> current = new();

    /// <summary>The token that blocking DSL calls observe.</summary>
    public static CancellationToken Token => current.Value;

    /// <summary>Makes <paramref name="token"/> ambient for the flow that follows, until disposed.</summary>
    public static IDisposable Use(CancellationToken token)
    {
        var previous = current.Value;
        current.Value = token;
        return new Restore(previous);
    }

    /// <summary>Runs an async DSL call to completion, observing the ambient token.</summary>
    internal static T Wait<T>(Func<CancellationToken, Task<T>> call) =>
        call(Token).GetAwaiter().GetResult();

    /// <summary>Runs an async DSL call to completion, observing the ambient token.</summary>
    internal static void Wait(Func<CancellationToken, Task> call) =>
        call(Token).GetAwaiter().GetResult();

    private sealed class Restore(CancellationToken previous) : IDisposable
    {
        public void Dispose() => current.Value = previous;
    }
}
