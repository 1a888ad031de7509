using NuGet.Packaging;
using NuGet.Versioning;

namespace DockScript.Scripting.Packages;

/// <summary>
/// One <c>#r "nuget: Name, Version"</c> (or <c>#r "nuget: Name"</c>, the latest stable version)
/// as written, with where it was written so a failure can point at the line. It is read without
/// NuGet (a remembered restore needs nothing more); <see cref="Check"/> parses it with NuGet
/// before anything is resolved.
/// </summary>
/// <param name="Id">The package id as typed.</param>
/// <param name="Version">The version or range as typed; null for the latest stable.</param>
/// <param name="Where">Where the directive is, <c>file:line:col</c>.</param>
internal sealed record PackageRequest(string Id, string? Version, string Where)
{
    private const string Scheme = "nuget:";

    /// <summary>True when a <c>#r</c> names a NuGet package rather than a file.</summary>
    public static bool IsPackage(string reference) => reference.TrimStart().StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The versions it accepts, as NuGet reads a version or range (<c>1.2.3</c> means 1.2.3 or later, <c>[1.2.3]</c> exactly that); null for the latest stable. Set by <see cref="Check"/>.</summary>
    public VersionRange? Range { get; init; }

    /// <summary>Splits the text of a <c>#r "nuget: …"</c> into id and version, as typed.</summary>
    public static PackageRequest Read(string reference, string where)
    {
        var parts = reference.TrimStart()[Scheme.Length..].Split(',', 2, StringSplitOptions.TrimEntries);
        return new PackageRequest(parts[0].Trim(), parts.Length == 1 || parts[1].Length == 0 ? null : parts[1], where);
    }

    /// <summary>Reads and checks a <c>#r "nuget: …"</c>; a malformed one gives a sentence saying what is wrong instead.</summary>
    public static PackageRequest? Parse(string reference, string where, out string? problem) => Read(reference, where).Check(out problem);

    /// <summary>The request with its <see cref="Range"/> parsed, or null and a sentence saying what is wrong.</summary>
    public PackageRequest? Check(out string? problem)
    {
        problem = null;
        if (Id.Length == 0 || !PackageIdValidator.IsValidPackageId(Id))
        {
            problem = Id.Length == 0
                ? "#r \"nuget: \" names no package; write #r \"nuget: Name, Version\" or #r \"nuget: Name\" for the latest stable version."
                : $"'{Id}' is not a NuGet package id; write #r \"nuget: Name, Version\".";
            return null;
        }
        if (Version is null)
        {
            return this;
        }
        if (!VersionRange.TryParse(Version, out var range))
        {
            problem = $"'{Version}' is not a NuGet version or version range (for {Id}); write for example 1.2.3, [1.2.3] or [1.0,2.0).";
            return null;
        }
        return this with { Range = range };
    }

    /// <summary>The request as a user would write it: <c>Name 1.2.3</c>, <c>Name [1.0, 2.0)</c>, or <c>Name</c> (latest).</summary>
    public override string ToString() => Range is null ? (Version is null ? Id : $"{Id} {Version}") : $"{Id} {Text(Range)}";
    /// <summary>A range as written by a user: a plain minimum stays a plain version.</summary>
    public static string Text(VersionRange range) => range switch
    {
        { HasLowerBound: true, IsMinInclusive: true, HasUpperBound: false, IsFloating: false } => range.MinVersion!.ToNormalizedString(),
        { HasLowerAndUpperBounds: true, IsMinInclusive: true, IsMaxInclusive: true } when range.MinVersion == range.MaxVersion => $"[{range.MinVersion!.ToNormalizedString()}]",
        _ => range.ToNormalizedString(),
    };
}
