namespace DockScript;

/// <summary>What a cleanup removed, and what it had to leave and why.</summary>
/// <param name="Containers">Names of the containers removed.</param>
/// <param name="Networks">Names of the networks removed.</param>
/// <param name="Kept">Resources that could not be removed, each with the reason.</param>
public sealed record CleanupReport(IReadOnlyList<string> Containers, IReadOnlyList<string> Networks, IReadOnlyList<string> Kept)
{
    /// <summary>How many probe helpers (DockScript's own toolbox containers) were removed besides.</summary>
    public int ProbeHelpers { get; init; }

    /// <summary>True when nothing was removed and nothing was kept.</summary>
    public bool IsEmpty => Containers.Count == 0 && Networks.Count == 0 && Kept.Count == 0 && ProbeHelpers == 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return "nothing to clean up";
        }
        var parts = new List<string>();
        if (Containers.Count > 0)
        {
            parts.Add($"{Plural(Containers.Count, "container")} ({string.Join(", ", Containers)})");
        }
        if (Networks.Count > 0)
        {
            parts.Add($"{Plural(Networks.Count, "network")} ({string.Join(", ", Networks)})");
        }
        if (ProbeHelpers > 0)
        {
            parts.Add(Plural(ProbeHelpers, "probe helper"));
        }
        var text = parts.Count switch
        {
            0 => "removed nothing",
            1 => "removed " + parts[0],
            _ => "removed " + string.Join(", ", parts[..^1]) + " and " + parts[^1],
        };
        return Kept.Count > 0 ? $"{text}; kept {string.Join("; ", Kept)}" : text;
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
