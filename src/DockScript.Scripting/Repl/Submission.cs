namespace DockScript.Scripting.Repl;

/// <summary>A submission the REPL ran successfully.</summary>
/// <param name="Code">Its text, as typed (or as read by <c>#load</c>).</param>
/// <param name="HasValue">True when it ended in an expression whose value the REPL showed.</param>
public sealed record Submission(string Code, bool HasValue);
