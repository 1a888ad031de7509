namespace DockScript;

/// <summary>
/// A container's <c>/etc/resolv.conf</c>: where it sends DNS queries and how it expands short names.
/// </summary>
/// <param name="Nameservers">Nameserver addresses in the order the resolver tries them.</param>
/// <param name="Search">Search domains appended to short names; <c>.</c> means none (Docker writes <c>search .</c>).</param>
/// <param name="Options">Resolver options such as <c>ndots:0</c>, one per item.</param>
/// <example><code>web1.ResolvConf.Nameservers</code></example>
public sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Search, IReadOnlyList<string> Options)
{
    /// <summary>Nameserver addresses in the order the resolver tries them.</summary>
    public IReadOnlyList<string> Nameservers { get; init; } = Readable.List(Nameservers);

    /// <summary>Search domains appended to short names; <c>.</c> means none.</summary>
    public IReadOnlyList<string> Search { get; init; } = Readable.List(Search);

    /// <summary>Resolver options such as <c>ndots:0</c>, one per item.</summary>
    public IReadOnlyList<string> Options { get; init; } = Readable.List(Options);

    /// <summary>
    /// Whether queries go to Docker's embedded DNS server. Docker gives containers on user-defined networks
    /// the nameserver 127.0.0.11, which answers container names and aliases and forwards everything else;
    /// on the default bridge the host's nameservers are copied in instead, so container names do not resolve.
    /// </summary>
    /// <example><code>web2.ResolvConf.UsesEmbeddedDns   // true on a user-defined network</code></example>
    public bool UsesEmbeddedDns => Nameservers.Contains("127.0.0.11");

    /// <summary>
    /// Parses resolv.conf text the way glibc reads it. Never throws: unknown keywords and malformed lines are ignored.
    /// </summary>
    /// <example><code>var conf = ResolvConf.Parse(web1.Exec("cat /etc/resolv.conf").Stdout);</code></example>
    public static ResolvConf Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nameservers = new List<string>();
        List<string>? search = null;
        string? domain = null;
        var options = new List<string>();

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var comment = line.IndexOfAny(['#', ';']);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }

            switch (fields[0].ToLowerInvariant())
            {
                case "nameserver":
                    // glibc reads one address per nameserver line and ignores the rest.
                    nameservers.Add(fields[1]);
                    break;
                case "search":
                    search = [.. fields[1..]];
                    break;
                case "domain":
                    domain = fields[1];
                    break;
                case "options":
                    foreach (var option in fields[1..])
                    {
                        // A repeated option (ndots:1 … ndots:5) overrides the earlier one, as in glibc.
                        var name = OptionName(option);
                        options.RemoveAll(o => OptionName(o) == name);
                        options.Add(option);
                    }

                    break;
            }
        }

        search ??= domain is null ? [] : [domain];

        // Read-only wrappers, so that a script cannot cast a result back to List and change it.
        return new ResolvConf(nameservers.AsReadOnly(), search.AsReadOnly(), options.AsReadOnly());
    }

    /// <summary>Prints the configuration as resolv.conf lines; empty parts are left out.</summary>
    public override string ToString()
    {
        var lines = Nameservers.Select(n => "nameserver " + n).ToList();
        if (Search.Count > 0)
        {
            lines.Add("search " + string.Join(' ', Search));
        }

        if (Options.Count > 0)
        {
            lines.Add("options " + string.Join(' ', Options));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Configurations are equal when all three lists match in order; record equality would compare list references.</summary>
    public bool Equals(ResolvConf? other) =>
        other is not null
        && Nameservers.SequenceEqual(other.Nameservers)
        && Search.SequenceEqual(other.Search)
        && Options.SequenceEqual(other.Options);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Nameservers.Concat(["|"]).Concat(Search).Concat(["|"]).Concat(Options))
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    private static string OptionName(string option)
    {
        var colon = option.IndexOf(':');
        return colon < 0 ? option : option[..colon];
    }
}
