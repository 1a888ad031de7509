namespace DockScript;

/// <summary>What a command run inside a container printed, and how it ended.</summary>
/// <param name="ExitCode">The command's exit code; 126 or 127 when the image lacks the program.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
/// <example><code>web1.Exec("cat /etc/hostname").Stdout.Trim()</code></example>
public sealed record ExecResult(long ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the command exited with 0.</summary>
    /// <example><code>web1.Exec("ping -c 1 172.17.0.3").Success</code></example>
    public bool Success => ExitCode == 0;

    /// <summary>True when the program was not found in the image (exit code 126 or 127).</summary>
    /// <example><code>web1.Exec("ip addr").ProgramMissing   // true on an image without ip</code></example>
    public bool ProgramMissing => ExitCode is 126 or 127;

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = (Stdout + Stderr).TrimEnd();
        return Success ? text : $"exit {ExitCode}: {text}";
    }
}
