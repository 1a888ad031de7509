using DockScript.Scripting;

namespace DockScript.Tests;

/// <summary>Compiling and running scripts through the entry points the CLI uses: <c>CheckAsync</c>, <c>PrepareAsync</c>, <c>RunAsync</c>.</summary>
public sealed class ScriptHostTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static Task<Preparation> PrepareAsync(string path, string? source = null) =>
        ScriptHost.PrepareAsync(ScriptSources.Read(path, source), cache: null);

    [Fact]
    public async Task Valid_script_compiles()
    {
        var path = dir.Write("ok.csx", "var total = Enumerable.Range(1, 3).Sum();\nConsole.WriteLine(total);\n");

        var prepared = await PrepareAsync(path);

        Assert.NotNull(prepared.Script);
        Assert.Empty(prepared.Errors);
        Assert.Empty(prepared.Warnings);
    }

    [Fact]
    public async Task Source_is_read_from_the_file_when_not_given()
    {
        var path = dir.Write("fromfile.csx", "var x = 1;\nundefinedName.Go();\n");

        var prepared = await PrepareAsync(path);

        Assert.Null(prepared.Script);
        Assert.StartsWith($"{path}:2:1: error CS0103:", Assert.Single(prepared.Errors));
    }

    [Fact]
    public async Task Type_error_reports_file_line_and_column()
    {
        var source = "var x = 1;\n    y = x + 1;\n";
        var path = dir.Write("broken.csx", source);

        var (errors, _) = await ScriptHost.CheckAsync(ScriptSources.Read(path, source));

        Assert.Equal(
            $"{Path.GetFullPath(path)}:2:5: error CS0103: The name 'y' does not exist in the current context",
            Assert.Single(errors));
    }

    [Fact]
    public async Task Conversion_error_is_reported_at_its_expression()
    {
        var source = "// a comment\nint n = 1;\nstring s = n;\n";
        var path = dir.Write("convert.csx", source);

        var diagnostic = Assert.Single((await PrepareAsync(path, source)).Errors);

        Assert.StartsWith($"{path}:3:12: error CS0029:", diagnostic);
        Assert.Contains("'int' to 'string'", diagnostic);
    }

    [Fact]
    public async Task Shebang_line_is_accepted_and_keeps_line_numbers()
    {
        var ok = "#!/usr/bin/env dockscript\nvar x = 1;\n";
        Assert.NotNull((await PrepareAsync(dir.Write("shebang.csx", ok))).Script);

        var broken = "#!/usr/bin/env dockscript\nvar x = 1;\n  nope();\n";
        var brokenPath = dir.Write("shebang-broken.csx", broken);
        Assert.StartsWith($"{brokenPath}:3:3: error CS0103: The name 'nope'", Assert.Single((await PrepareAsync(brokenPath)).Errors));
    }

    [Fact]
    public async Task Globals_and_DockScript_types_are_in_scope()
    {
        var source =
            "var first = Args.Count > 0 ? Args[0] : \"nginx1\";\n" +
            "Networks nets = Networks;\n" +
            "Containers all = Containers;\n" +
            "Lab lab = Lab;\n" +
            "Assert(first.Length > 0, \"a name\");\n" +
            "var subnet = Cidr.ParseSubnet(\"10.30.0.0/24\");\n" +
            "await Task.Yield();\n";
        var path = dir.Write("globals.csx", source);

        var prepared = await PrepareAsync(path);

        Assert.Empty(prepared.Errors);
        Assert.NotNull(prepared.Script);
    }

    [Fact]
    public async Task A_script_runs_with_its_globals_and_returns_its_value()
    {
        var path = dir.Write("args.csx", "Assert(Args.Count == 2, \"two arguments\");\nreturn Args.Sum(a => a.Length);\n");
        var script = (await PrepareAsync(path)).Script!;

        var outcome = await script.RunAsync(new ScriptGlobals(null!, ["ab", "cde"]));

        Assert.Equal(5, Assert.IsType<ScriptOutcome.Completed>(outcome).ReturnValue);
    }

    [Fact]
    public async Task A_throwing_script_fails_at_its_line_and_a_cancelled_one_is_cancelled()
    {
        var path = dir.Write("throws.csx", "var x = 1;\nthrow new InvalidOperationException(\"boom\");\n");
        var failed = Assert.IsType<ScriptOutcome.Failed>(await (await PrepareAsync(path)).Script!.RunAsync(new ScriptGlobals(null!)));
        Assert.Equal($"{path}:2", failed.Location);
        Assert.Equal("boom", failed.Exception.Message);

        // A cancellation is the user's only when the run's token asked for it.
        var cancels = (await PrepareAsync(dir.Write("cancels.csx", "throw new OperationCanceledException();\n"))).Script!;
        Assert.IsType<ScriptOutcome.Failed>(await cancels.RunAsync(new ScriptGlobals(null!)));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        Assert.IsType<ScriptOutcome.Cancelled>(await cancels.RunAsync(new ScriptGlobals(null!), cancel.Token));
    }

    [Fact]
    public async Task Warnings_are_returned_with_location()
    {
        var source = "#warning check me\nvar x = 1;\n";
        var path = dir.Write("warn.csx", source);

        var prepared = await PrepareAsync(path, source);

        Assert.NotNull(prepared.Script);
        Assert.StartsWith($"{path}:1:10: warning CS1030:", Assert.Single(prepared.Warnings));
    }

    [Fact]
    public void Reading_a_missing_file_names_the_path()
    {
        var path = Path.Combine(dir.Path, "missing.csx");

        var error = Assert.Throws<DockScriptException>(() => ScriptSources.ReadText(path));

        Assert.Equal($"Script '{path}' does not exist; check the path (it is relative to {Environment.CurrentDirectory}).", error.Message);
    }

    [Fact]
    public void Reading_a_directory_names_the_path()
    {
        var error = Assert.Throws<DockScriptException>(() => ScriptSources.ReadText(dir.Path));

        Assert.Equal($"'{dir.Path}' is a directory; give the path of a .csx script file.", error.Message);
    }

    [Fact]
    public void Reading_invalid_UTF8_names_the_path()
    {
        var path = Path.Combine(dir.Path, "latin1.csx");
        File.WriteAllBytes(path, [(byte)'v', (byte)'a', (byte)'r', 0x20, 0xFF, 0x00, 0xC3, 0x28]);

        var error = Assert.Throws<DockScriptException>(() => ScriptSources.ReadText(path));

        Assert.Equal($"Script '{path}' is not valid UTF-8 text; save it as UTF-8.", error.Message);
    }

    [Fact]
    public void Reading_returns_the_text_of_a_UTF8_file()
    {
        var path = dir.Write("text.csx", "// café\nvar x = 1;\n");

        Assert.Equal("// café\nvar x = 1;\n", ScriptSources.ReadText(path));
    }
}
