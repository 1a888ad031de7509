using Docker.DotNet;

namespace DockScript.Scripting;

/// <summary>
/// The globals every DockScript script and REPL submission sees: <c>Networks</c>,
/// <c>Containers</c>, <c>Lab</c>, <c>Docker</c> and <c>Args</c>.
/// </summary>
public class ScriptGlobals
{
    /// <summary>Creates the globals for one session.</summary>
    public ScriptGlobals(Lab lab, IReadOnlyList<string>? args = null)
    {
        Lab = lab;
        Args = args ?? [];
    }

    /// <summary>The engine's networks: enumerate, index by name, <c>Create</c>.</summary>
    /// <example><code>Networks["bridge"].Subnet</code></example>
    public Networks Networks => Lab.Networks;

    /// <summary>The engine's containers: enumerate the running ones, index by name, <c>Run</c>.</summary>
    /// <example><code>var web1 = Containers.Run("dockscript/web", name: "nginx1");</code></example>
    public Containers Containers => Lab.Containers;

    /// <summary>This session: what it created, and <c>Cleanup()</c>.</summary>
    /// <example><code>Lab.Cleanup()</code></example>
    public Lab Lab { get; }

    /// <summary>The underlying Docker.DotNet client, as an escape hatch.</summary>
    /// <example><code>await Docker.System.GetVersionAsync()</code></example>
    public DockerClient Docker => Lab.Docker;

    /// <summary>The script's arguments: <c>dockscript run file.csx -- a b</c>.</summary>
    /// <example><code>Args.FirstOrDefault() ?? "nginx1"</code></example>
    public IReadOnlyList<string> Args { get; }

    /// <summary>
    /// Stops the script with a clear message when <paramref name="condition"/> is false; scripts
    /// use it to state what they expect of the network.
    /// </summary>
    /// <exception cref="AssertionFailedException">The condition is false.</exception>
    /// <example><code>Assert(web1.IP is not null, "nginx1 has an address on the bridge");</code></example>
    public void Assert(bool condition, string claim)
    {
        // Globals without a session (unit tests) still assert; there is just no journal to write to.
        Lab?.Journal.Record("assert", condition, condition ? claim : $"Assertion failed: {claim}.");
        if (!condition)
        {
            throw new AssertionFailedException(claim);
        }
    }
}

/// <summary>A script's own <c>Assert</c> failed.</summary>
public sealed class AssertionFailedException(string claim) : DockScriptException($"Assertion failed: {claim}.")
{
    /// <summary>What the script expected.</summary>
    public string Claim { get; } = claim;
}
