namespace DockScript.Scripting;

/// <summary>How a script run ended. The front end matches on it in one place.</summary>
public abstract record ScriptOutcome
{
    private ScriptOutcome() { }

    /// <summary>The script ran to its end.</summary>
    /// <param name="ReturnValue">What a top-level <c>return</c> gave, if anything.</param>
    public sealed record Completed(object? ReturnValue) : ScriptOutcome
    {
        /// <summary>False when the code ended in a statement rather than an expression: there is no value to show.</summary>
        public bool HasValue { get; init; } = true;
    }

    /// <summary>The script did not compile.</summary>
    /// <param name="Diagnostics">The errors, formatted <c>file:line:col: error CSxxxx: message</c>.</param>
    public sealed record CompileFailed(IReadOnlyList<string> Diagnostics) : ScriptOutcome;

    /// <summary>The script threw.</summary>
    /// <param name="Exception">What it threw.</param>
    /// <param name="Location">The script file and line it threw at (<c>file:line</c>), when known.</param>
    public sealed record Failed(Exception Exception, string? Location) : ScriptOutcome
    {
        /// <summary>
        /// REPL only: the submission declared variables, and the session keeps them (with the values
        /// they had when it threw), so what went wrong can be looked at.
        /// </summary>
        public bool KeptVariables { get; init; }
    }

    /// <summary>The script was cancelled (Ctrl+C).</summary>
    public sealed record Cancelled : ScriptOutcome;

    /// <summary>Warnings from compilation, shown before the run.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

}
