using System.Collections.Concurrent;

namespace DockScript;

/// <summary>
/// One thing a session observed: a probe's result or a script's assertion. Front ends read the
/// journal to summarise a run (<c>dockscript run --json</c>) without knowing every result type.
/// </summary>
/// <param name="At">When it was recorded.</param>
/// <param name="Kind">What kind of observation: <c>ping</c>, <c>curl</c>, <c>resolve</c>, <c>reachability</c>, <c>assert</c>.</param>
/// <param name="Success">Whether it went as hoped.</param>
/// <param name="Summary">One readable line, the same as the result's <c>ToString()</c>.</param>
/// <param name="Detail">The typed result itself (a record), for serialisation; null for assertions.</param>
public sealed record JournalEntry(DateTimeOffset At, string Kind, bool Success, string Summary, object? Detail = null);

/// <summary>The observations of one session, in the order they were made. Thread-safe.</summary>
/// <example><code>Lab.Journal.Entries.Count(e => !e.Success)</code></example>
public sealed class Journal
{
    private readonly ConcurrentQueue<JournalEntry> entries = new();

    /// <summary>Everything recorded so far, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Entries => entries.ToArray();

    /// <summary>Raised after each entry is recorded.</summary>
    public event Action<JournalEntry>? Recorded;

    /// <summary>Records one observation.</summary>
    public void Record(string kind, bool success, string summary, object? detail = null)
    {
        var entry = new JournalEntry(DateTimeOffset.UtcNow, kind, success, summary, detail);
        entries.Enqueue(entry);
        Recorded?.Invoke(entry);
    }
}
