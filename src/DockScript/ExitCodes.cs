namespace DockScript.Cli;

/// <summary>The exit codes of <c>dockscript</c>; README lists them.</summary>
public static class ExitCodes
{
    /// <summary>Everything went as the script expected.</summary>
    public const int Success = 0;

    /// <summary>The script did not compile, or an analyzer found an error (DS…), or <c>check</c> found errors.</summary>
    public const int CompileError = 1;

    /// <summary>The script failed while running: an exception, a failed <c>Assert</c>.</summary>
    public const int RuntimeError = 2;

    /// <summary>No usable Docker engine answered.</summary>
    public const int EngineUnavailable = 3;

    /// <summary>The command line itself was wrong: unknown command or option, missing or unreadable script (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>The terminal closed (128 + SIGHUP).</summary>
    public const int HangUp = 129;

    /// <summary>Interrupted with Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped with SIGTERM (128 + SIGTERM).</summary>
    public const int Terminated = 143;
}
