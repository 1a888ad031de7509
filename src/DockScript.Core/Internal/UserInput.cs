namespace DockScript;

/// <summary>Turns a parser's <see cref="FormatException"/> into DockScript's one-sentence error.</summary>
internal static class UserInput
{
    public static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new DockScriptException(e.Message, e);
        }
    }

    /// <summary>The argv for a command string: its words, or <c>sh -c</c> when it uses shell syntax.</summary>
    public static IReadOnlyList<string> Command(string command) =>
        ShellWords.NeedsShell(command) ? ["/bin/sh", "-c", command] : Parse(() => ShellWords.Split(command));
}
