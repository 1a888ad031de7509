namespace DockScript;

/// <summary>A capture's settings, checked once and shared by <c>Capture</c> and <c>CaptureAsync</c>.</summary>
internal sealed record CaptureOptions
{
    /// <summary>The packets kept unless told otherwise.</summary>
    public const int DefaultMaxPackets = 10_000;

    /// <summary>The bytes kept unless told otherwise: 10 MiB.</summary>
    public const long DefaultMaxBytes = 10L * 1024 * 1024;

    private CaptureOptions(string? filter, CaptureFilter parsed, int maxPackets, long maxBytes)
    {
        Filter = filter;
        Parsed = parsed;
        MaxPackets = maxPackets;
        MaxBytes = maxBytes;
    }

    public string? Filter { get; }

    public CaptureFilter Parsed { get; }

    public int MaxPackets { get; }

    public long MaxBytes { get; }

    /// <exception cref="DockScriptException">A bad filter or limit, in one sentence.</exception>
    public static CaptureOptions Of(string? filter, int maxPackets = DefaultMaxPackets, long maxBytes = DefaultMaxBytes)
    {
        if (maxPackets <= 0)
        {
            throw new DockScriptException($"Capture needs maxPackets of at least 1, but {maxPackets} was given.");
        }
        if (maxBytes <= 0)
        {
            throw new DockScriptException($"Capture needs maxBytes of at least 1, but {maxBytes} was given.");
        }
        var text = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
        return new CaptureOptions(text, CaptureFilter.Parse(text), maxPackets, maxBytes);
    }
}
