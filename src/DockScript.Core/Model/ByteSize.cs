using System.Globalization;

namespace DockScript;

/// <summary>
/// Renders byte counts the way people read them in <c>docker stats</c>-like output.
/// </summary>
/// <example><code>ByteSize.Format(web1.Stats().RxBytes)   // "1.2 KB"</code></example>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>Formats <paramref name="bytes"/> with 1024-based units, e.g. <c>656 B</c>, <c>1.2 KB</c>.</summary>
    public static string Format(ulong bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        // 1023.96 KB would otherwise print as "1024.0 KB"; carry into the next unit instead.
        if (Math.Round(value, 1) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
