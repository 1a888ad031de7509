namespace DockScript;

/// <summary>
/// How <c>Spread(from, url, n)</c>'s requests were answered: how many each answer (a service's
/// task, as <c>web.2@lab-2</c>, or the body as it came) got, and what failed.
/// </summary>
/// <param name="Source">The container the requests left from.</param>
/// <param name="Url">The URL fetched.</param>
/// <param name="Requests">How many requests were made.</param>
/// <param name="Answers">Answer → how many requests it got.</param>
/// <param name="Reasons">Why requests failed, each reason once.</param>
/// <example><code>Spread(probe, "http://web/", 30).Answers.Count   // 3: every task answered</code></example>
public sealed record Spread(string Source, string Url, int Requests, IReadOnlyDictionary<string, int> Answers, IReadOnlyList<string> Reasons)
{
    /// <summary>How many requests got no answer.</summary>
    public int Failed { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Requests} × GET {Url} from {Source}: " + string.Join(", ", Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value}"))
        + (Failed > 0 ? $"; {Failed} failed ({string.Join("; ", Reasons)})" : "");
}
