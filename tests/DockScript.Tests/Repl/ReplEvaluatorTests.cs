using DockScript.Scripting;
using DockScript.Scripting.Repl;

namespace DockScript.Tests.Repl;

/// <summary>The REPL's evaluator on its own: submissions chained on one state, no engine.</summary>
public class ReplEvaluatorTests
{
    private readonly ReplEvaluator evaluator = new(new ScriptGlobals(null!));

    [Fact]
    public async Task Submissions_see_what_earlier_ones_declared()
    {
        Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("var a = 20;"));
        var sum = Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("a + 1"));

        Assert.Equal(21, sum.ReturnValue);
        Assert.True(sum.HasValue);
    }

    [Fact]
    public async Task A_submission_that_throws_keeps_what_it_declared_for_inspection()
    {
        var failed = Assert.IsType<ScriptOutcome.Failed>(await evaluator.EvaluateAsync(
            "var a = 20; var b = a + 1; string missing = null; var n = missing.Length;"));
        Assert.IsType<NullReferenceException>(failed.Exception);
        Assert.True(failed.KeptVariables);

        var look = Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("(a, b, missing, n)"));
        Assert.Equal((20, 21, (string?)null, 0), look.ReturnValue);

        // #save keeps it, marked, because later lines may use its variables.
        var saved = Transcript.ToScript(evaluator.Accepted);
        Assert.Contains("// In the REPL this threw NullReferenceException: ", saved);
        Assert.Contains("var a = 20; var b = a + 1;", saved);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", saved));
    }

    [Fact]
    public async Task A_throwing_submission_that_ends_in_a_value_is_saved_as_a_statement()
    {
        Assert.IsType<ScriptOutcome.Failed>(await evaluator.EvaluateAsync("string s = null; s.Length"));

        var saved = Transcript.ToScript(evaluator.Accepted);
        Assert.Contains("string s = null; Console.WriteLine(s.Length);", saved);
        Assert.Empty(await CheckedScript.ErrorsAsync("saved.csx", saved));
    }

    [Fact]
    public async Task A_submission_that_throws_and_declares_nothing_leaves_no_trace()
    {
        Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("var a = 1;"));
        var failed = Assert.IsType<ScriptOutcome.Failed>(await evaluator.EvaluateAsync("a = 2; throw new InvalidOperationException(\"boom\");"));

        Assert.False(failed.KeptVariables);
        Assert.Single(evaluator.Accepted);
    }

    [Fact]
    public async Task A_compile_error_changes_nothing()
    {
        Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("var a = 1;"));
        Assert.IsType<ScriptOutcome.CompileFailed>(await evaluator.EvaluateAsync("var b = ;"));

        var a = Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("a"));
        Assert.Equal(1, a.ReturnValue);
        Assert.Equal(["var a = 1;", "a"], evaluator.Accepted.Select(s => s.Code));
    }
}
