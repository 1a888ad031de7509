using System.Text;

namespace DockScript.Tests;

public sealed class HelperFramesTests
{
    /// <summary>An answer as the helper's writer loop prints it: begin line, base64 lines of 76, end line.</summary>
    private static byte[] Frame(long id, int code, string output)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(output));
        var lines = string.Concat(Enumerable.Range(0, (encoded.Length + 75) / 76).Select(i => encoded.Substring(i * 76, Math.Min(76, encoded.Length - i * 76)) + "\n"));
        return Encoding.ASCII.GetBytes($"\u001eB {id} {code}\n{lines}\u001eE {id}\n");
    }

    [Fact]
    public void An_answer_split_anywhere_across_two_reads_is_read_once()
    {
        var frame = Frame(7, 0, "64 bytes from 10.0.0.2: seq=0 ttl=64 time=0.1 ms\n");
        for (var cut = 0; cut <= frame.Length; cut++)
        {
            var frames = new HelperFrames();
            var answers = frames.Feed(frame.AsSpan(0, cut)).Concat(frames.Feed(frame.AsSpan(cut))).ToList();
            Assert.Equal([(7L, 0, "64 bytes from 10.0.0.2: seq=0 ttl=64 time=0.1 ms\n")], answers);
        }
    }

    [Fact]
    public void An_answer_fed_byte_by_byte_after_noise_is_read()
    {
        var frames = new HelperFrames();
        var bytes = Encoding.ASCII.GetBytes("sh: noise\u001e\u001eB x\n").Concat(Frame(3, 2, "")).ToArray();
        var answers = new List<(long, int, string)>();
        foreach (var b in bytes)
        {
            answers.AddRange(frames.Feed([b]));
        }
        Assert.Equal([(3L, 2, "")], answers);
    }

    [Fact]
    public void Output_holding_markers_and_another_probes_id_cannot_forge_or_cut_its_answer()
    {
        var forged = "HTTP/1.0 200 OK\r\n\r\n" + string.Concat(Enumerable.Range(1, 50).Select(i => $"\u001eE {i}\n\u001eB {i} 0\nforged\n\u001eE {i}\n\u001e"));
        var frames = new HelperFrames();
        var stream = Frame(1, 0, forged).Concat(Frame(2, 0, "real")).ToArray();
        var answers = frames.Feed(stream);
        Assert.Equal([(1L, 0, forged), (2L, 0, "real")], answers);
    }

    [Fact]
    public void An_answer_cut_off_is_dropped_and_the_next_one_read()
    {
        var cut = Frame(4, 0, "a long answer that its writer never finished")[..20];
        var frames = new HelperFrames();
        Assert.Equal([(5L, 1, "next")], frames.Feed(cut.Concat(Frame(5, 1, "next")).ToArray()));
    }

    [Fact]
    public void The_command_keeps_the_tool_off_the_shells_stdin_and_quotes_every_word()
    {
        var line = HelperFrames.Command(9, ["sh", "-c", "echo 'hi'; cat"]);
        Assert.StartsWith("( ( 'sh' '-c' 'echo '\\''hi'\\''; cat' </dev/null >/tmp/.dso9 2>&1; ", line);
        Assert.Contains("base64 </tmp/.dso9", line);
        Assert.EndsWith("echo /tmp/.dsf9 >&8 ) & )\n", line);
    }
}
