using NuGet.Packaging;
using NuGet.Versioning;

namespace DockScript.Scripting.Packages;

/// <summary>
/// One <c>#r "nuget: Name, Version"</c> (or <c>#r "nuget: Name"</c>, the latest stable version)
/// as written, with where it was written so a failure can point at the line.
/// </summary>
/// <param name="Id">The package id as typed.</param>
/// <param name="Range">The versions it accepts, as NuGet reads a version or range (<c>1.2.3</c> means 1.2.3 or later, <c>[1.2.3]</c> exactly that); null for the latest stable.</param>
/// <param name="Where">Where the directive is, <c>file:line:col</c>.</param>
internal sealed record PackageRequest(string Id, VersionRange? Range, string Where)
{
    private const string Scheme = "nuget:";

    /// <summary>True when a <c>#r</c> names a NuGet package rather than a file.</summary>
    public static bool IsPackage(string reference) => reference.TrimStart().StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the text of a <c>#r "nuget: …"</c>; a malformed one gives a sentence saying what is wrong instead.
    /// </summary>
    public static PackageRequest? Parse(string reference, string where, out string? problem)
    {
        problem = null;
        var text = reference.TrimStart()[Scheme.Length..].Trim();
        var parts = text.Split(',', 2, StringSplitOptions.TrimEntries);
        var id = parts[0];
        if (id.Length == 0 || !PackageIdValidator.IsValidPackageId(id))
        {
            problem = id.Length == 0
                ? "#r \"nuget: \" names no package; write #r \"nuget: Name, Version\" or #r \"nuget: Name\" for the latest stable version."
                : $"'{id}' is not a NuGet package id; write #r \"nuget: Name, Version\".";
            return null;
        }
        if (parts.Length == 1 || parts[1].Length == 0)
        {
            return new PackageRequest(id, null, where);
        }
        if (!VersionRange.TryParse(parts[1], out var range))
        {
            problem = $"'{parts[1]}' is not a NuGet version or version range (for {id}); write for example 1.2.3, [1.2.3] or [1.0,2.0).";
            return null;
        }
        return new PackageRequest(id, range, where);
    }

    /// <summary>The request as a user would write it: <c>Name 1.2.3</c>, <c>Name [1.0, 2.0)</c>, or <c>Name</c> (latest).</summary>
    public override string ToString() => Range is null ? Id : $"{Id} {Text(Range)}";

    /// <summary>A range as written by a user: a plain minimum stays a plain version.</summary>
    public static string Text(VersionRange range) => range switch
    {
        { HasLowerBound: true, IsMinInclusive: true, HasUpperBound: false, IsFloating: false } => range.MinVersion!.ToNormalizedString(),
        { HasLowerAndUpperBounds: true, IsMinInclusive: true, IsMaxInclusive: true } when range.MinVersion == range.MaxVersion => $"[{range.MinVersion!.ToNormalizedString()}]",
        _ => range.ToNormalizedString(),
    };
}
