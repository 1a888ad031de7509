using System.Text;

namespace DockScript;

/// <summary>
/// Splits a command line into argv words the way <c>sh</c> would, so that simple commands can be
/// run with <c>docker exec</c> directly, without requiring a shell in the image.
/// </summary>
/// <example><code>web1.Exec("cat /etc/hostname")</code></example>
internal static class ShellWords
{
    private const string Operators = "|&;<>()*?[";

    /// <summary>
    /// Splits <paramref name="command"/> into words: whitespace separates, single quotes are literal, double quotes
    /// honour <c>\"</c>, <c>\\</c>, <c>\$</c> and <c>\`</c>, and a backslash outside quotes escapes the next character.
    /// No expansion happens; use <see cref="NeedsShell"/> to find out whether the command needs a real shell.
    /// </summary>
    /// <exception cref="FormatException">When a quote is not closed.</exception>
    /// <example><code>ShellWords.Split("echo 'hello world'")   // ["echo", "hello world"]</code></example>
    public static IReadOnlyList<string> Split(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = new List<string>();
        foreach (var token in Scan(command))
        {
            if (token.Unterminated is { } quote)
            {
                var name = quote == '\'' ? "single" : "double";
                throw new FormatException(
                    $"The command '{command}' has an unterminated {name} quote; close it with {quote} or escape it with a backslash.");
            }

            if (token.Word is { } word)
            {
                words.Add(word);
            }
        }

        return words.AsReadOnly();
    }

    /// <summary>
    /// Whether <paramref name="command"/> relies on the shell: pipes, redirections, command separators, expansions
    /// (<c>$</c>, backticks, globs), subshells, <c>~</c> or <c>#</c> at the start of a word, or a leading
    /// <c>NAME=value</c> assignment. Quoted and escaped characters do not count, except <c>$</c> and backticks inside
    /// double quotes, which the shell still expands. An unterminated quote also counts, so that the shell reports it.
    /// </summary>
    /// <example><code>ShellWords.NeedsShell("ping -c1 nginx1 | tail -1")   // true</code></example>
    public static bool NeedsShell(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var token in Scan(command))
        {
            if (token.NeedsShell || token.Unterminated is not null)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Token(string? Word, bool NeedsShell, char? Unterminated);

    // One scanner serves both methods, so Split and NeedsShell can never disagree about what is quoted.
    private static IEnumerable<Token> Scan(string command)
    {
        var word = new StringBuilder();
        var inWord = false;
        var isFirstWord = true;
        var firstWordQuoted = false;

        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\r':
                    if (inWord)
                    {
                        yield return EndWord();
                    }

                    break;

                case '\n':
                    // A newline ends a command in sh, just like ';'.
                    yield return new Token(null, true, null);
                    if (inWord)
                    {
                        yield return EndWord();
                    }

                    break;

                case '\\':
                    inWord = true;
                    firstWordQuoted = true;
                    if (i + 1 < command.Length)
                    {
                        i++;
                        // Backslash-newline is a line continuation: both characters vanish.
                        if (command[i] != '\n')
                        {
                            word.Append(command[i]);
                        }
                    }
                    else
                    {
                        word.Append('\\');
                    }

                    break;

                case '\'':
                    {
                        inWord = true;
                        firstWordQuoted = true;
                        var close = command.IndexOf('\'', i + 1);
                        if (close < 0)
                        {
                            yield return new Token(null, false, '\'');
                            yield break;
                        }

                        word.Append(command, i + 1, close - i - 1);
                        i = close;
                        break;
                    }

                case '"':
                    {
                        inWord = true;
                        firstWordQuoted = true;
                        var closed = false;
                        for (i++; i < command.Length; i++)
                        {
                            var d = command[i];
                            if (d == '"')
                            {
                                closed = true;
                                break;
                            }

                            if (d == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                            {
                                i++;
                                if (command[i] != '\n')
                                {
                                    word.Append(command[i]);
                                }

                                continue;
                            }

                            if (d is '$' or '`')
                            {
                                yield return new Token(null, true, null);
                            }

                            word.Append(d);
                        }

                        if (!closed)
                        {
                            yield return new Token(null, false, '"');
                            yield break;
                        }

                        break;
                    }

                default:
                    var special = Operators.Contains(c) || c is '$' or '`'
                        || (!inWord && c is '~' or '#');
                    if (special)
                    {
                        yield return new Token(null, true, null);
                    }

                    // "NAME=value cmd" sets an environment variable in sh, but exec would run a program called "NAME=value".
                    if (c == '=' && isFirstWord && !firstWordQuoted && inWord && IsName(word.ToString()))
                    {
                        yield return new Token(null, true, null);
                    }

                    inWord = true;
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            yield return EndWord();
        }

        Token EndWord()
        {
            var result = new Token(word.ToString(), false, null);
            word.Clear();
            inWord = false;
            isFirstWord = false;
            return result;
        }
    }

    private static bool IsName(string text) =>
        text.Length > 0
        && (char.IsAsciiLetter(text[0]) || text[0] == '_')
        && text.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
}
