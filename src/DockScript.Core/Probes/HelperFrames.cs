using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace DockScript;

/// <summary>
/// How answers travel from the probe helper's shell to us, and how they are read back. A tool's
/// output goes to a file, base64-encoded between a begin and an end line that carry the probe's
/// id. One writer (a loop started with the shell) copies finished answers to stdout one after
/// another, so answers never interleave however large they are, and an output cannot hold a
/// marker: base64 has no <c>\x1e</c>. Whatever a tool prints, it cannot forge or cut another
/// probe's answer, and a marker split across two reads waits for its other half.
/// </summary>
internal sealed class HelperFrames
{
    private const byte Marker = 0x1e;

    /// <summary>The longest begin line we accept (<c>\x1eB id code</c>); anything longer is noise.</summary>
    private const int LongestHead = 48;

    /// <summary>
    /// Sent once, before the first probe: the fifo that finished answers are announced on, held
    /// open by the shell (so its reader never sees end-of-file), and the one loop that writes them out.
    /// </summary>
    public const string Setup =
        "mkfifo /tmp/.dsq 2>/dev/null; exec 8<>/tmp/.dsq; while read -r f <&8; do cat \"$f\"; rm -f \"$f\"; done &\n";

    private byte[] buffer = new byte[16384];
    private int length;

    /// <summary>The line that runs <paramref name="argv"/> as background job <paramref name="id"/> and announces its answer.</summary>
    public static string Command(long id, IReadOnlyList<string> argv)
    {
        var n = id.ToString(CultureInfo.InvariantCulture);
        var words = string.Join(' ', argv.Select(Quote));
        // stdin is /dev/null: a tool must not eat the probe lines that follow on the shell's stdin.
        // The probe runs in a subshell put in the background by a short-lived one: the shell,
        // which only reads lines and never waits, would keep every finished probe as a zombie
        // child; orphaned, it is reaped by the helper's init instead.
        return $"( ( {words} </dev/null >/tmp/.dso{n} 2>&1; c=$?; "
               + $"{{ printf '\\036B %s %s\\n' {n} $c; base64 </tmp/.dso{n}; printf '\\036E %s\\n' {n}; }} >/tmp/.dsf{n}; "
               + $"rm -f /tmp/.dso{n}; echo /tmp/.dsf{n} >&8 ) & )\n";
    }

    /// <summary>Takes in the next bytes of the shell's output; returns every answer now complete.</summary>
    public List<(long Id, int Code, string Output)> Feed(ReadOnlySpan<byte> bytes)
    {
        Append(bytes);
        var done = new List<(long, int, string)>();
        while (true)
        {
            var data = buffer.AsSpan(0, length);
            var begin = data.IndexOf("\u001eB "u8);
            if (begin < 0)
            {
                // Keep a possible first half of a marker (a lone \x1e or "\x1eB") for the next read.
                var last = data.LastIndexOf(Marker);
                Consume(last < 0 ? length : last);
                return done;
            }
            Consume(begin);
            data = buffer.AsSpan(0, length);
            var headEnd = data.IndexOf((byte)'\n');
            if (headEnd < 0)
            {
                if (length > LongestHead)
                {
                    Consume(1);
                    continue;
                }
                return done;
            }
            if (!TryHead(data[3..headEnd], out var id, out var code))
            {
                Consume(1);
                continue;
            }
            var payload = data[(headEnd + 1)..];
            var end = payload.IndexOf(Marker);
            if (end < 0)
            {
                return done;
            }
            var tail = payload[end..];
            var tailEnd = tail.IndexOf((byte)'\n');
            if (tailEnd < 0 && tail.Length <= LongestHead)
            {
                return done;
            }
            var expected = Encoding.ASCII.GetBytes($"\u001eE {id.ToString(CultureInfo.InvariantCulture)}");
            if (tailEnd >= 0 && tail[..tailEnd].SequenceEqual(expected))
            {
                done.Add((id, code, Decode(payload[..end])));
                Consume(headEnd + 1 + end + tailEnd + 1);
            }
            else
            {
                // An answer cut off (its writer died): drop it, and read on from the next marker.
                Consume(headEnd + 1 + end);
            }
        }
    }

    private static bool TryHead(ReadOnlySpan<byte> head, out long id, out int code)
    {
        id = 0;
        code = 0;
        var space = head.IndexOf((byte)' ');
        return space > 0
            && long.TryParse(head[..space], NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && int.TryParse(head[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    /// <summary>The tool's output: base64 lines back to bytes, then UTF-8 (invalid bytes become U+FFFD).</summary>
    private static string Decode(ReadOnlySpan<byte> base64)
    {
        var clean = new byte[base64.Length];
        var n = 0;
        foreach (var b in base64)
        {
            if (b is not ((byte)'\n' or (byte)'\r' or (byte)' '))
            {
                clean[n++] = b;
            }
        }
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(n)];
        return Base64.DecodeFromUtf8(clean.AsSpan(0, n), bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            ? Encoding.UTF8.GetString(bytes, 0, written)
            : "";
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes.Length));
        }
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    private void Consume(int count)
    {
        buffer.AsSpan(count, length - count).CopyTo(buffer);
        length -= count;
        if (buffer.Length > 65536 && length < 16384)
        {
            // A large answer has gone: do not keep its buffer for the helper's whole life.
            Array.Resize(ref buffer, 16384);
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
