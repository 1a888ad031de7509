using System.Text.RegularExpressions;

namespace DockScript;

/// <summary>Docker's rule for container and network names, checked before any call so the error is clear.</summary>
internal static partial class Names
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex Valid();

    public static void Validate(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DockScriptException($"A {what} name is needed, but an empty one was given.");
        }
        if (!Valid().IsMatch(name))
        {
            throw new DockScriptException(
                $"'{name}' is not a valid {what} name; use letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }
    }
}
