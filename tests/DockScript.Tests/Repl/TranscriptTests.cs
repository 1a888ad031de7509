using DockScript.Scripting.Repl;

namespace DockScript.Tests.Repl;

public class TranscriptTests
{
    [Fact]
    public void Saved_script_prints_shown_values_and_keeps_statements()
    {
        var script = Transcript.ToScript(
        [
            new Submission("var net = Networks.Create(\"rp-net\");", false),
            new Submission("net.Name", true),
            new Submission("net.Remove()", false),
            new Submission("foreach (var n in Networks)\n{\n    Console.WriteLine(n.Name);\n}", false),
            new Submission("1 + 2 // three", true),
        ]);
        var lines = script.Split('\n');
        Assert.StartsWith("// Saved from the DockScript REPL", lines[0]);
        Assert.Equal(
        [
            "var net = Networks.Create(\"rp-net\");",
            "Console.WriteLine(net.Name);",
            "net.Remove();",
            "foreach (var n in Networks)",
            "{",
            "    Console.WriteLine(n.Name);",
            "}",
            "Console.WriteLine(1 + 2); // three",
            "",
        ], lines[1..]);
    }

    [Fact]
    public void Saved_script_compiles()
    {
        var script = Transcript.ToScript([new Submission("var n = Networks;", false), new Submission("n.Count()", true)]);
        var (compiled, failure, _) = DockScript.Scripting.ScriptHost.Compile("saved.csx", script);
        Assert.Null(failure);
        Assert.NotNull(compiled);
    }
}
