namespace DockScript;

/// <summary>
/// The labels DockScript puts on everything it creates. They are how cleanup tells its own
/// resources from the user's: nothing without <see cref="Managed"/> is ever removed or stopped.
/// </summary>
public static class LabLabels
{
    /// <summary>Present (value "true") on every resource DockScript created.</summary>
    public const string Managed = "io.dockscript";

    /// <summary>The id of the session that created the resource.</summary>
    public const string Session = "io.dockscript.session";

    /// <summary>The DockScript version that created the resource.</summary>
    public const string Version = "io.dockscript.version";

    /// <summary>What the resource is for, when DockScript made it for itself (e.g. "helper").</summary>
    public const string Role = "io.dockscript.role";

    internal static Dictionary<string, string> For(string sessionId, IReadOnlyDictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>();
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            // DockScript's own labels decide what cleanup may remove; a user label cannot change them.
            if (key is Managed or Session or Version)
            {
                throw new DockScriptException($"The label '{key}' is DockScript's own and cannot be set by a script; pick another key.");
            }
            labels[key] = value;
        }
        labels[Managed] = "true";
        labels[Session] = sessionId;
        labels[Version] = LabInfo.Version;
        return labels;
    }

    internal static bool IsManaged(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Managed, out var v) && v == "true";

    internal static string? SessionOf(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Session, out var v) ? v : null;
}

/// <summary>Facts about this build of DockScript.</summary>
public static class LabInfo
{
    /// <summary>The DockScript version, as stamped into labels and the script cache key.</summary>
    public static string Version { get; } =
        typeof(LabInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
