namespace DockScript.Scripting.Repl;

/// <summary>What a live name names.</summary>
public enum LiveNameKind
{
    /// <summary>A container.</summary>
    Container,

    /// <summary>A network.</summary>
    Network,
}

/// <summary>A container or network name that exists on the engine right now.</summary>
/// <param name="Name">The name, as <c>docker ps</c> or <c>docker network ls</c> shows it.</param>
/// <param name="Kind">Container or network.</param>
/// <param name="Description">One line for the completion tooltip: state and addresses, or driver and subnet.</param>
public sealed record LiveName(string Name, LiveNameKind Kind, string Description);

/// <summary>
/// The engine's container and network names, for completion inside string arguments. Reads must
/// be instant (they happen on a keystroke), so implementations answer from a cache.
/// </summary>
public interface ILiveNames
{
    /// <summary>Every container, running or not.</summary>
    IReadOnlyList<LiveName> Containers { get; }

    /// <summary>Every network.</summary>
    IReadOnlyList<LiveName> Networks { get; }
}

/// <summary>No engine: no names.</summary>
public sealed class NoLiveNames : ILiveNames
{
    /// <summary>The one instance.</summary>
    public static NoLiveNames Instance { get; } = new();

    private NoLiveNames() { }

    /// <inheritdoc/>
    public IReadOnlyList<LiveName> Containers => [];

    /// <inheritdoc/>
    public IReadOnlyList<LiveName> Networks => [];
}
