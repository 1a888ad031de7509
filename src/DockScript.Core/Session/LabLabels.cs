namespace DockScript;

/// <summary>
/// The labels DockScript puts on everything it creates. They are how cleanup tells its own
/// resources from the user's: nothing without <see cref="Managed"/> is ever removed or stopped.
/// </summary>
internal static class LabLabels
{
    /// <summary>Present (value "true") on every resource DockScript created.</summary>
    public const string Managed = "io.dockscript";

    /// <summary>The id of the session that created the resource.</summary>
    public const string Session = "io.dockscript.session";

    /// <summary>The DockScript version that created the resource.</summary>
    public const string Version = "io.dockscript.version";

    /// <summary>The process id of the DockScript process whose session created the resource.</summary>
    public const string Pid = "io.dockscript.pid";

    /// <summary>The machine that process ran on; a pid means something only there.</summary>
    public const string Host = "io.dockscript.host";

    /// <summary>What the resource is for, when DockScript made it for itself (e.g. "probe").</summary>
    public const string Role = "io.dockscript.role";

    internal static Dictionary<string, string> For(string sessionId, IReadOnlyDictionary<string, string>? extra = null) =>
        For(sessionId, SessionOwner.Current, extra);

    internal static Dictionary<string, string> For(string sessionId, SessionOwner owner, IReadOnlyDictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>();
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            // DockScript's own labels decide what cleanup may remove; a user label cannot change them.
            if (key is Managed or Session or Version or Pid or Host)
            {
                throw new DockScriptException($"The label '{key}' is DockScript's own and cannot be set by a script; pick another key.");
            }
            labels[key] = value;
        }
        labels[Managed] = "true";
        labels[Session] = sessionId;
        labels[Version] = LabInfo.Version;
        labels[Pid] = owner.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        labels[Host] = owner.Host;
        return labels;
    }

    internal static bool IsManaged(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Managed, out var v) && v == "true";

    /// <summary>The role of DockScript's own probe plumbing (helpers, the outside server).</summary>
    internal const string ProbeRole = "probe";

    /// <summary>On a probe helper: the id of the container whose namespace it shares.</summary>
    internal const string ProbeFor = "io.dockscript.probe-for";

    /// <summary>True for DockScript's probe plumbing: hidden from listings, counted apart by cleanup.</summary>
    internal static bool IsProbeHelper(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Role, out var role) && role == ProbeRole;

    internal static string? SessionOf(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Session, out var v) ? v : null;
}

/// <summary>The process a session belongs to: its id and the machine it runs on.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="Host">The machine name.</param>
internal sealed record SessionOwner(int Pid, string Host)
{
    /// <summary>This process.</summary>
    public static SessionOwner Current { get; } = new(Environment.ProcessId, Environment.MachineName);

    /// <summary>Reads the owner from a resource's labels; null when they carry none (an older DockScript made it).</summary>
    public static SessionOwner? From(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(LabLabels.Pid, out var pid) && int.TryParse(pid, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && labels.TryGetValue(LabLabels.Host, out var host) && host.Length > 0
            ? new SessionOwner(id, host)
            : null;

    /// <summary>True when the owner is on this machine and its process still runs.</summary>
    public bool IsAlive => Host == Environment.MachineName && ProcessExists(Pid);

    private static bool ProcessExists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"pid {Pid} on {Host}";
}

/// <summary>Facts about this build of DockScript.</summary>
internal static class LabInfo
{
    /// <summary>The DockScript version, as stamped into labels and the script cache key.</summary>
    public static string Version { get; } =
        typeof(LabInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
