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
    public async Task Saved_script_compiles()
    {
        var script = Transcript.ToScript([new Submission("var n = Networks;", false), new Submission("n.Count()", true)]);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", script));
    }

    [Fact]
    public async Task A_redeclared_variable_keeps_its_meaning_in_the_saved_script()
    {
        var script = Transcript.ToScript(
        [
            new Submission("var a = 1;", false),
            new Submission("var b = a + 1;", false),
            new Submission("Func<int, int> twice = a => a * 2;", false),
            new Submission("var a = \"text\";", false),
            new Submission("a.Length + b + twice(b)", true),
        ]);
        var lines = script.Split('\n');
        Assert.Equal(
        [
            "var a_1 = 1;",
            "var b = a_1 + 1;",
            // The lambda's own parameter is not the script variable: it keeps its name.
            "Func<int, int> twice = a => a * 2;",
            "var a = \"text\";",
            "Console.WriteLine(a.Length + b + twice(b));",
            "",
        ], lines[1..]);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", script));
    }

    [Fact]
    public void A_renamed_variable_does_not_take_a_name_already_in_use()
    {
        var script = Transcript.ToScript(
        [
            new Submission("var a_1 = 0;", false),
            new Submission("var a = 1;", false),
            new Submission("var a = a_1;", false),
        ]);
        Assert.Contains("var a_2 = 1;", script);
        Assert.Contains("var a = a_1;", script);
    }

    [Fact]
    public async Task Pattern_variables_at_the_top_level_are_renamed_too()
    {
        var script = Transcript.ToScript(
        [
            new Submission("if (int.TryParse(\"5\", out var n)) Console.WriteLine(n);", false),
            new Submission("var n = 7;", false),
        ]);
        Assert.Contains("out var n_1)) Console.WriteLine(n_1);", script);
        Assert.Contains("var n = 7;", script);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", script));
    }

    [Fact]
    public async Task Usings_and_references_typed_late_move_to_the_top()
    {
        var script = Transcript.ToScript(
        [
            new Submission("var x = 1;", false),
            new Submission("using System.Net;\nIPAddress.Loopback", true),
            new Submission("using System.Net;", false),
        ]);
        var lines = script.Split('\n');
        Assert.Equal(["using System.Net;", "var x = 1;", "Console.WriteLine(IPAddress.Loopback);", ""], lines[1..]);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", script));
    }

    [Fact]
    public async Task Methods_and_types_declared_again_are_renamed_like_variables()
    {
        var script = Transcript.ToScript(
        [
            new Submission("int Twice(int x) => x * 2;", false),
            new Submission("record Box(int V);", false),
            new Submission("var first = new Box(Twice(2));", false),
            new Submission("int Twice(int x) => x + x + 1;", false),
            new Submission("record Box(string V);", false),
            new Submission("(first.V, new Box(\"b\").V, Twice(1))", true),
        ]);
        Assert.Contains("int Twice_1(int x) => x * 2;", script);
        Assert.Contains("record Box_1(int V);", script);
        Assert.Contains("var first = new Box_1(Twice_1(2));", script);
        Assert.Contains("int Twice(int x) => x + x + 1;", script);
        Assert.Contains("Console.WriteLine((first.V, new Box(\"b\").V, Twice(1)));", script);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", script));
    }
}
