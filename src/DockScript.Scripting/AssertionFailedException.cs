namespace DockScript;

// In the DSL's namespace, not DockScript.Scripting: scripts catch it, and scripts import only DockScript.

/// <summary>A script's own <c>Assert</c> failed.</summary>
/// <example><code>catch (AssertionFailedException e) { Console.WriteLine(e.Claim); }</code></example>
public sealed class AssertionFailedException(string claim) : DockScriptException($"Assertion failed: {claim}.")
{
    /// <summary>What the script expected.</summary>
    public string Claim { get; } = claim;
}
