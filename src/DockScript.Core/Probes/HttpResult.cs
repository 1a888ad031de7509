namespace DockScript;

/// <summary>Why an HTTP fetch got no response, in categories a user can act on.</summary>
public enum HttpFailure
{
    /// <summary>A response came back (whatever its status).</summary>
    None,

    /// <summary>The host name did not resolve from the source's point of view.</summary>
    Dns,

    /// <summary>The address answered, but nothing listens on the port (TCP reset).</summary>
    Refused,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>The kernel found no route or no neighbour for the address.</summary>
    Unreachable,

    /// <summary>Something answered, but not with HTTP.</summary>
    Protocol,

    /// <summary>The source itself cannot send (not running, or on the <c>none</c> network).</summary>
    Source,
}

/// <summary>
/// What <c>Curl(from, url)</c> got: an HTTP GET made from inside <see cref="Source"/>'s network
/// namespace. A failed fetch is a result: <see cref="Failure"/> tells a refused connection, a
/// timeout and a DNS failure apart, and <see cref="Reason"/> says why in words.
/// </summary>
/// <param name="Source">The container the request left from.</param>
/// <param name="Url">The URL as given.</param>
/// <param name="Address">The address connected to; null when the host did not resolve.</param>
/// <param name="StatusCode">The HTTP status; null when no response came.</param>
/// <param name="Body">The response body (text).</param>
/// <param name="Headers">Response headers (the last value of each name).</param>
/// <param name="Elapsed">Time from the request to the end of the response (or the failure).</param>
/// <param name="Failure">The kind of failure; <see cref="HttpFailure.None"/> when a response came.</param>
/// <param name="Reason">Why it failed, in a sentence or two; null on success.</param>
/// <param name="Via">How the probe ran: <c>namespace</c> or <c>helper</c>.</param>
/// <example><code>Curl(web3, "http://nginx1/").Body   // nginx1's hostname (seed S11)</code></example>
public sealed record HttpResult(
    string Source, string Url, string? Address, int? StatusCode, string Body, IReadOnlyDictionary<string, string> Headers,
    TimeSpan Elapsed, HttpFailure Failure, string? Reason, string Via)
{
    /// <summary>The most of a body a probe keeps: 1 MiB. A longer body is cut there, and <see cref="Truncated"/> says so.</summary>
    public const int BodyLimit = 1 << 20;

    /// <summary>Why it failed, as a kind a script can branch on; <see cref="ProbeCause.None"/> on success.</summary>
    public ProbeCause Cause { get; init; }

    /// <summary>True when the body was longer than <see cref="BodyLimit"/> (1 MiB) and <see cref="Body"/> holds only its first MiB.</summary>
    /// <example><code>Curl(web1, "http://nginx2/big").Truncated</code></example>
    public bool Truncated { get; init; }

    /// <summary>True when a response with a status below 400 came back.</summary>
    public bool Success => StatusCode is < 400;

    /// <inheritdoc/>
    public override string ToString()
    {
        var head = $"GET {Url} from {Source}";
        if (StatusCode is { } status)
        {
            var body = Body.Trim();
            var shown = body.Length > 60 ? body[..60] + "…" : body;
            var size = Truncated ? $"{Body.Length} bytes (cut at 1 MiB)" : $"{Body.Length} bytes";
            return Success
                ? $"{head}: {status} in {RoundTrip.Ms(Elapsed)} ms, {size}: {shown.ReplaceLineEndings(" ")}"
                : $"{head}: {status}: {Reason}";
        }
        return $"{head}: failed ({Failure}): {Reason}";
    }
}
