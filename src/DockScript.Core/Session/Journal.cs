using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace DockScript;

/// <summary>
/// One thing a session observed: a probe's result or a script's assertion. A closed hierarchy:
/// front ends match on the kinds below, and <c>dockscript run --json</c> writes each with its typed
/// result as <c>detail</c>.
/// </summary>
/// <example><code>Lab.Journal.Entries.OfType&lt;JournalEntry.Ping&gt;().Count(e => !e.Success)</code></example>
// The derived types are listed for System.Text.Json, so that a source-generated serializer writes
// each entry with its own detail. A new kind needs a line here (a unit test checks).
[JsonDerivedType(typeof(Ping))]
[JsonDerivedType(typeof(Curl))]
[JsonDerivedType(typeof(Resolve))]
[JsonDerivedType(typeof(Masquerade))]
[JsonDerivedType(typeof(Reachability))]
[JsonDerivedType(typeof(Assertion))]
[JsonDerivedType(typeof(Capture))]
[JsonDerivedType(typeof(Explain))]
public abstract record JournalEntry
{
    private JournalEntry(string kind, bool success, string summary)
    {
        Kind = kind;
        Success = success;
        Summary = summary;
    }

    /// <summary>When it was recorded.</summary>
    [JsonPropertyOrder(-4)]
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>What kind of observation: <c>ping</c>, <c>curl</c>, <c>resolve</c>, <c>masquerade</c>, <c>reachability</c>, <c>capture</c>, <c>explain</c> or <c>assert</c>.</summary>
    [JsonPropertyOrder(-3)]
    public string Kind { get; }

    /// <summary>Whether it went as hoped.</summary>
    [JsonPropertyOrder(-2)]
    public bool Success { get; }

    /// <summary>One readable line, the same as the result's <c>ToString()</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Summary { get; }

    /// <summary>The summary line.</summary>
    public sealed override string ToString() => Summary;

    /// <summary>A <c>Ping</c>.</summary>
    /// <param name="Detail">Its result.</param>
    public sealed record Ping(PingResult Detail) : JournalEntry("ping", Detail.Success, Detail.ToString());

    /// <summary>A <c>Curl</c>.</summary>
    /// <param name="Detail">Its result.</param>
    public sealed record Curl(HttpResult Detail) : JournalEntry("curl", Detail.Success, Detail.ToString());

    /// <summary>A <c>Resolve</c>.</summary>
    /// <param name="Detail">Its result.</param>
    public sealed record Resolve(DnsResult Detail) : JournalEntry("resolve", Detail.Success, Detail.ToString());

    /// <summary>A <c>Masquerade</c>.</summary>
    /// <param name="Detail">Its result.</param>
    public sealed record Masquerade(MasqueradeResult Detail) : JournalEntry("masquerade", Detail.Success, Detail.ToString());

    /// <summary>A <c>Reachability</c> matrix: a success when every pair answered.</summary>
    /// <param name="Detail">The matrix.</param>
    public sealed record Reachability(DockScript.Reachability Detail)
        : JournalEntry("reachability", Detail.Failures.Count == 0, $"reachability of {Detail.Containers.Count} containers: {Detail.Summary}");

    /// <summary>A finished <c>Capture</c>: the container, the filter and the decoded packets.</summary>
    /// <param name="Detail">What it saw.</param>
    public sealed record Capture(CaptureResult Detail) : JournalEntry("capture", true, Detail.ToString());

    /// <summary>An <c>Explain</c>: a success when its real probe answered.</summary>
    /// <param name="Detail">The explanation, layer by layer.</param>
    public sealed record Explain(Explanation Detail)
        : JournalEntry("explain", Detail.Reachable, Detail.Reachable ? Detail.Title : $"{Detail.Title} ({Detail.Cause})");

    /// <summary>A script's <c>Assert(condition, claim)</c>.</summary>
    /// <param name="Passed">Whether the condition held (also <see cref="JournalEntry.Success"/>).</param>
    /// <param name="Claim">What the script expected.</param>
    public sealed record Assertion([property: JsonIgnore] bool Passed, [property: JsonIgnore] string Claim)
        : JournalEntry("assert", Passed, Passed ? Claim : $"Assertion failed: {Claim}.")
    {
        /// <summary>Always null: an assertion says all it has in its summary (every entry of the JSON summary has a detail).</summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance member, so the JSON summary writes it as every entry's detail.")]
        public object? Detail => null;
    }
}

/// <summary>The observations of one session, in the order they were made. Thread-safe.</summary>
/// <example><code>Lab.Journal.Entries.Count(e => !e.Success)</code></example>
public sealed class Journal
{
    private readonly ConcurrentQueue<JournalEntry> entries = new();

    /// <summary>Everything recorded so far, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Entries => entries.ToArray();

    /// <summary>Raised after each entry is recorded.</summary>
    public event Action<JournalEntry>? Recorded;

    /// <summary>Records one observation (the probes and <c>Assert</c> do; scripts read).</summary>
    internal void Add(JournalEntry entry)
    {
        entries.Enqueue(entry);
        Recorded?.Invoke(entry);
    }
}
