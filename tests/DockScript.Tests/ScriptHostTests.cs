using System.Text;
using DockScript.Scripting;

namespace DockScript.Tests;

public sealed class ScriptHostTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "dockscript-tests-" + Guid.NewGuid().ToString("N"));

    public ScriptHostTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string source)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, source, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void Valid_script_compiles()
    {
        var path = Write("ok.csx", "var total = Enumerable.Range(1, 3).Sum();\nConsole.WriteLine(total);\n");

        var (script, failure, warnings) = ScriptHost.Compile(path, File.ReadAllText(path));

        Assert.NotNull(script);
        Assert.Null(failure);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Source_is_read_from_the_file_when_not_given()
    {
        var path = Write("fromfile.csx", "var x = 1;\nundefinedName.Go();\n");

        var (script, failure, _) = ScriptHost.Compile(path);

        Assert.Null(script);
        var failed = Assert.IsType<ScriptOutcome.CompileFailed>(failure);
        Assert.StartsWith($"{path}:2:1: error CS0103:", Assert.Single(failed.Diagnostics));
    }

    [Fact]
    public void Type_error_reports_file_line_and_column()
    {
        var source = "var x = 1;\n    y = x + 1;\n";
        var path = Write("broken.csx", source);

        var (script, failure, _) = ScriptHost.Compile(path, source);

        Assert.Null(script);
        var failed = Assert.IsType<ScriptOutcome.CompileFailed>(failure);
        Assert.Equal(
            $"{Path.GetFullPath(path)}:2:5: error CS0103: The name 'y' does not exist in the current context",
            Assert.Single(failed.Diagnostics));
    }

    [Fact]
    public void Conversion_error_is_reported_at_its_expression()
    {
        var source = "// a comment\nint n = 1;\nstring s = n;\n";
        var path = Write("convert.csx", source);

        var failed = Assert.IsType<ScriptOutcome.CompileFailed>(ScriptHost.Compile(path, source).Failure);

        var diagnostic = Assert.Single(failed.Diagnostics);
        Assert.StartsWith($"{path}:3:12: error CS0029:", diagnostic);
        Assert.Contains("'int' to 'string'", diagnostic);
    }

    [Fact]
    public void Shebang_line_is_accepted_and_keeps_line_numbers()
    {
        var ok = "#!/usr/bin/env dockscript\nvar x = 1;\n";
        var okPath = Write("shebang.csx", ok);
        Assert.NotNull(ScriptHost.Compile(okPath, ok).Script);

        var broken = "#!/usr/bin/env dockscript\nvar x = 1;\n  nope();\n";
        var brokenPath = Write("shebang-broken.csx", broken);
        var failed = Assert.IsType<ScriptOutcome.CompileFailed>(ScriptHost.Compile(brokenPath, broken).Failure);
        Assert.StartsWith($"{brokenPath}:3:3: error CS0103: The name 'nope'", Assert.Single(failed.Diagnostics));
    }

    [Fact]
    public void Globals_and_DockScript_types_are_in_scope()
    {
        var source =
            "var first = Args.Count > 0 ? Args[0] : \"nginx1\";\n" +
            "Networks nets = Networks;\n" +
            "Containers all = Containers;\n" +
            "Lab lab = Lab;\n" +
            "Assert(first.Length > 0, \"a name\");\n" +
            "var subnet = Cidr.ParseSubnet(\"10.30.0.0/24\");\n" +
            "await Task.Yield();\n";
        var path = Write("globals.csx", source);

        var (script, failure, _) = ScriptHost.Compile(path, source);

        Assert.Null(failure);
        Assert.NotNull(script);
        Assert.Equal(typeof(ScriptGlobals), script.GlobalsType);
    }

    [Fact]
    public void Warnings_are_returned_with_location()
    {
        var source = "#warning check me\nvar x = 1;\n";
        var path = Write("warn.csx", source);

        var (script, failure, warnings) = ScriptHost.Compile(path, source);

        Assert.NotNull(script);
        Assert.Null(failure);
        Assert.StartsWith($"{path}:1:10: warning CS1030:", Assert.Single(warnings));
    }

    [Fact]
    public void ReadSource_of_a_missing_file_names_the_path()
    {
        var path = Path.Combine(dir, "missing.csx");

        var error = Assert.Throws<DockScriptException>(() => ScriptHost.ReadSource(path));

        Assert.Equal($"Script '{path}' does not exist; check the path (it is relative to {Environment.CurrentDirectory}).", error.Message);
    }

    [Fact]
    public void ReadSource_of_a_directory_names_the_path()
    {
        var error = Assert.Throws<DockScriptException>(() => ScriptHost.ReadSource(dir));

        Assert.Equal($"'{dir}' is a directory; give the path of a .csx script file.", error.Message);
    }

    [Fact]
    public void ReadSource_of_invalid_UTF8_names_the_path()
    {
        var path = Path.Combine(dir, "latin1.csx");
        File.WriteAllBytes(path, [(byte)'v', (byte)'a', (byte)'r', 0x20, 0xFF, 0x00, 0xC3, 0x28]);

        var error = Assert.Throws<DockScriptException>(() => ScriptHost.ReadSource(path));

        Assert.Equal($"Script '{path}' is not valid UTF-8 text; save it as UTF-8.", error.Message);
    }

    [Fact]
    public void ReadSource_returns_the_text_of_a_UTF8_file()
    {
        var path = Write("text.csx", "// café\nvar x = 1;\n");

        Assert.Equal("// café\nvar x = 1;\n", ScriptHost.ReadSource(path));
    }
}
