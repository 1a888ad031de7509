namespace DockScript.Cli;

/// <summary>The exit codes of <c>dockscript</c>.</summary>
public static class ExitCodes
{
    /// <summary>Everything went as the script expected.</summary>
    public const int Success = 0;

    /// <summary>The script did not compile, or it failed while running.</summary>
    public const int ScriptFailed = 1;

    /// <summary>The command line itself was wrong (unknown option, missing file…).</summary>
    public const int Usage = 2;

    /// <summary>No Docker engine answered.</summary>
    public const int EngineUnavailable = 3;

    /// <summary>Interrupted with Ctrl+C.</summary>
    public const int Interrupted = 130;
}
