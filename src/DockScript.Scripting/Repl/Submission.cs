namespace DockScript.Scripting.Repl;

/// <summary>A submission the REPL ran and kept: it succeeded, or it threw after declaring variables the session keeps.</summary>
/// <param name="Code">Its text, as typed (or as read by <c>#load</c>).</param>
/// <param name="HasValue">True when it ended in an expression whose value the REPL showed.</param>
public sealed record Submission(string Code, bool HasValue)
{
    /// <summary>What it threw (<c>Type: message</c>), when it threw; null when it ran to its end.</summary>
    public string? Threw { get; init; }
}
