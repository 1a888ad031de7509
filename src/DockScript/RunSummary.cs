using System.Net;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DockScript.Cli;

/// <summary>What <c>dockscript run --json</c> reports: filled in as the run goes, written once at the end.</summary>
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

    public double? CompileMs { get; set; }

    public double? RunMs { get; set; }

    public double? CleanupMs { get; set; }

    public double TotalMs { get; set; }

    public IReadOnlyList<JournalEntry> Journal { get; set; } = [];

    /// <summary>What the session had on the engine when the script ended, e.g. <c>nginx1 (container)</c>.</summary>
    public IReadOnlyList<string> Created { get; set; } = [];

    /// <summary>What cleanup removed and kept; null with <c>--keep</c> or when the script never ran.</summary>
    public CleanupReport? Cleanup { get; set; }

    public string? CleanupError { get; set; }
}

/// <summary>
/// Writes a <see cref="RunSummary"/> as one JSON object. Journal details are whatever records the
/// probes produce, serialised generically: cycles are dropped, <see cref="TimeSpan"/> becomes
/// milliseconds, addresses become strings, live handles become their names, and a property or a
/// detail that cannot be serialised degrades to text instead of failing the summary.
/// </summary>
internal static class RunSummaryJson
{
    /// <summary>The options used for journal details.</summary>
    internal static JsonSerializerOptions DetailOptions { get; } = CreateDetailOptions();

    public static void Write(Stream stream, RunSummary summary)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("script", summary.Script);
        json.WriteStartArray("args");
        foreach (var a in summary.Args)
        {
            json.WriteStringValue(a);
        }
        json.WriteEndArray();
        json.WriteString("outcome", summary.Outcome);
        json.WriteNumber("exitCode", summary.ExitCode);
        WriteStringOrNull(json, "error", summary.Error);
        WriteStringOrNull(json, "errorLocation", summary.ErrorLocation);
        WriteStringOrNull(json, "session", summary.Session);
        WriteStringOrNull(json, "cache", summary.Cache);

        json.WriteStartObject("durationsMs");
        WriteNumberOrNull(json, "compile", summary.CompileMs);
        WriteNumberOrNull(json, "run", summary.RunMs);
        WriteNumberOrNull(json, "cleanup", summary.CleanupMs);
        json.WriteNumber("total", Math.Round(summary.TotalMs, 1));
        json.WriteEndObject();

        WriteTally(json, "probes", summary.Journal.Where(e => e.Kind != "assert").ToList());
        WriteTally(json, "assertions", summary.Journal.Where(e => e.Kind == "assert").ToList());

        json.WriteStartArray("journal");
        foreach (var entry in summary.Journal)
        {
            json.WriteStartObject();
            json.WriteString("at", entry.At);
            json.WriteString("kind", entry.Kind);
            json.WriteBoolean("success", entry.Success);
            json.WriteString("summary", entry.Summary);
            json.WritePropertyName("detail");
            if (Detail(entry.Detail) is { } detail)
            {
                detail.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("created");
        foreach (var c in summary.Created)
        {
            json.WriteStringValue(c);
        }
        json.WriteEndArray();

        json.WritePropertyName("cleanup");
        if (summary.Cleanup is { } cleanup)
        {
            json.WriteStartObject();
            WriteStrings(json, "removedContainers", cleanup.Containers);
            WriteStrings(json, "removedNetworks", cleanup.Networks);
            WriteStrings(json, "kept", cleanup.Kept);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }
        WriteStringOrNull(json, "cleanupError", summary.CleanupError);
        json.WriteEndObject();
        json.Flush();
        stream.Write("\n"u8);
        stream.Flush();
    }

    /// <summary>A journal detail as JSON (null for JSON null); its text when it cannot be serialised.</summary>
    internal static JsonNode? Detail(object? detail)
    {
        if (detail is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.SerializeToNode(detail, detail.GetType(), DetailOptions);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return JsonValue.Create(Text(detail));
        }
    }

    private static string Text(object o)
    {
        try
        {
            return o.ToString() ?? o.GetType().Name;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return o.GetType().Name;
        }
    }

    private static void WriteTally(Utf8JsonWriter json, string name, IReadOnlyList<JournalEntry> entries)
    {
        json.WriteStartObject(name);
        json.WriteNumber("total", entries.Count);
        json.WriteNumber("passed", entries.Count(e => e.Success));
        json.WriteNumber("failed", entries.Count(e => !e.Success));
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 1));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static JsonSerializerOptions CreateDetailOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            ReferenceHandler = ReferenceHandler.IgnoreCycles,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            MaxDepth = 16,
            // The summary is a file for people and tools, never embedded in HTML: keep quotes and accents readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SafeProperties } },
        };
        options.Converters.Add(new TimeSpanAsMilliseconds());
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new AsText<IPAddress>());
        options.Converters.Add(new AsText<IPNetwork>());
        options.Converters.Add(new AsText<Type>(t => t.FullName ?? t.Name));
        options.Converters.Add(new AsText<Exception>(e => e.Message));
        // Live handles read the engine on every property: a summary names them instead.
        options.Converters.Add(new AsText<Container>(c => c.Name));
        options.Converters.Add(new AsText<Network>(n => n.Name));
        options.Converters.Add(new AsText<Lab>(l => l.SessionId));
        options.Converters.Add(new AsText<Docker.DotNet.DockerClient>(_ => "docker client"));
        options.Converters.Add(new AsText<Delegate>(d => d.Method.Name));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// A property that throws when read is written as its default value, and members that cannot
    /// be data (pointers, delegates, tasks) are skipped, so one odd member never loses the detail.
    /// </summary>
    private static void SafeProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            if (property.PropertyType.IsPointer || property.PropertyType.IsByRefLike || typeof(Task).IsAssignableFrom(property.PropertyType)
                || property.PropertyType == typeof(CancellationToken) || property.PropertyType == typeof(IntPtr))
            {
                info.Properties.RemoveAt(i);
                continue;
            }
            if (property.Get is { } get)
            {
                var fallback = property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null
                    ? Activator.CreateInstance(property.PropertyType)
                    : null;
                property.Get = o =>
                {
                    try
                    {
                        return get(o);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException and not TargetInvocationException { InnerException: OutOfMemoryException })
                    {
                        return fallback;
                    }
                };
            }
        }
    }

    private sealed class TimeSpanAsMilliseconds : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromMilliseconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalMilliseconds, 3));
    }

    /// <summary>Writes values of a type, or of any type derived from it, as strings.</summary>
    private sealed class AsText<T>(Func<T, string?>? text = null) : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeof(T).IsAssignableFrom(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(TextOf<>).MakeGenericType(typeof(T), typeToConvert), text)!;

        private sealed class TextOf<TActual>(Func<T, string?>? text) : JsonConverter<TActual>
            where TActual : T
        {
            public override TActual Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException($"A {typeof(TActual).Name} is written as text only.");

            public override void Write(Utf8JsonWriter writer, TActual value, JsonSerializerOptions options) =>
                writer.WriteStringValue(text is null ? value?.ToString() : text(value));
        }
    }
}
