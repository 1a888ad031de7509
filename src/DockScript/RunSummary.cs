using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockScript.Cli;

/// <summary>
/// What <c>dockscript run --json</c> reports: filled in as the run goes, written once at the end.
/// Its public properties are the JSON object, in this order (see README, <c>--json</c>).
/// </summary>
internal sealed class RunSummary
{
    public string Script { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary><c>completed</c>, <c>compile-error</c>, <c>runtime-error</c>, <c>engine-unavailable</c>, <c>cancelled</c> or <c>usage</c>.</summary>
    public string Outcome { get; set; } = "usage";

    public int ExitCode { get; set; }

    public string? Error { get; set; }

    public string? ErrorLocation { get; set; }

    public string? Session { get; set; }

    /// <summary><c>hit</c>, <c>miss</c> or <c>off</c>; null when the script was never compiled.</summary>
    public string? Cache { get; set; }

    [JsonIgnore]
    public double? CompileMs { get; set; }

    [JsonIgnore]
    public double? RunMs { get; set; }

    [JsonIgnore]
    public double? CleanupMs { get; set; }

    [JsonIgnore]
    public double TotalMs { get; set; }

    /// <summary>The phases' durations in milliseconds, to a tenth; null for a phase that never started.</summary>
    public RunDurations DurationsMs => new(Tenth(CompileMs), Tenth(RunMs), Tenth(CleanupMs), Math.Round(TotalMs, 1));

    public RunTally Probes => RunTally.Of(Journal.Where(e => e is not JournalEntry.Assertion));

    public RunTally Assertions => RunTally.Of(Journal.OfType<JournalEntry.Assertion>());

    /// <summary>Every probe result and assertion, each with its typed result as <c>detail</c>.</summary>
    public IReadOnlyList<JournalEntry> Journal { get; set; } = [];

    /// <summary>What the session had on the engine when the script ended, e.g. <c>nginx1 (container)</c>.</summary>
    public IReadOnlyList<string> Created { get; set; } = [];

    /// <summary>What cleanup removed and kept; null with <c>--keep</c> or when the script never ran.</summary>
    public RunCleanup? Cleanup { get; set; }

    public string? CleanupError { get; set; }

    private static double? Tenth(double? ms) => ms is { } v ? Math.Round(v, 1) : null;
}

/// <summary>How long each phase of a run took, in milliseconds.</summary>
internal sealed record RunDurations(double? Compile, double? Run, double? Cleanup, double Total);

/// <summary>How many journal entries of one sort there were, and how many went as hoped.</summary>
internal sealed record RunTally(int Total, int Passed, int Failed)
{
    public static RunTally Of(IEnumerable<JournalEntry> entries)
    {
        var list = entries.ToList();
        var passed = list.Count(e => e.Success);
        return new RunTally(list.Count, passed, list.Count - passed);
    }
}

/// <summary>What cleanup removed and what it kept (with the reason).</summary>
internal sealed record RunCleanup(IReadOnlyList<string> RemovedContainers, IReadOnlyList<string> RemovedNetworks, IReadOnlyList<string> Kept)
{
    public static RunCleanup Of(CleanupReport report) => new(report.Containers, report.Networks, report.Kept);
}

/// <summary>
/// Writes a <see cref="RunSummary"/> with System.Text.Json's source generator: every type in it is
/// known at build time (the journal is a closed hierarchy of records), so nothing is reflected on
/// and nothing can fail at the end of a long run. Durations are milliseconds, enums their names.
/// </summary>
internal static class RunSummaryJson
{
    // The summary is a file for people and tools, never embedded in HTML: keep quotes, arrows and accents readable.
    private static readonly RunSummaryJsonContext Context = new(new JsonSerializerOptions(RunSummaryJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write(Stream stream, RunSummary summary)
    {
        JsonSerializer.Serialize(stream, summary, Context.RunSummary);
        stream.Write("\n"u8);
        stream.Flush();
    }
}

/// <summary>The source-generated serializer of the run summary.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(TimeSpanAsMilliseconds)])]
[JsonSerializable(typeof(RunSummary))]
// Two types are called Reachability: the matrix and its journal entry.
[JsonSerializable(typeof(Reachability), TypeInfoPropertyName = "ReachabilityMatrix")]
internal sealed partial class RunSummaryJsonContext : JsonSerializerContext;

/// <summary>A <see cref="TimeSpan"/> (a round trip, an HTTP request) as milliseconds, to a microsecond.</summary>
internal sealed class TimeSpanAsMilliseconds : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromMilliseconds(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.TotalMilliseconds, 3));
}
