using System.Runtime.InteropServices;
using DockScript.Scripting;
using DockScript.Scripting.Packages;
using DockScript.Scripting.Repl;

namespace DockScript.Tests.Packages;

/// <summary><c>#r "nuget: …"</c> in REPL submissions, against the local feed.</summary>
public sealed class ReplPackageTests(LocalFeed feed) : IClassFixture<LocalFeed>
{
    [Fact]
    public async Task A_submission_restores_with_a_progress_line_and_later_ones_use_the_package()
    {
        using var world = new PackageWorld(feed.Config());
        var evaluator = new ReplEvaluator(new ScriptGlobals(null!), new PackageRestore(world.Cache, world.GlobalPackages), world.Scripts);
        var progress = new List<string>();
        evaluator.Restoring = progress.Add;
        var before = Assert.IsType<ScriptOutcome.CompileFailed>(await evaluator.EvaluateAsync("Dsn.Greeting.Hello(\"x\")"));
        Assert.Contains("CS0103", Assert.Single(before.Diagnostics));

        Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("#r \"nuget: Dsn.Greeting, 1.0.0\""));
        var hello = Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("Dsn.Greeting.Hello(\"x\")"));
        var native = Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("Dsn.Words.Native"));

        Assert.Equal("restoring Dsn.Greeting 1.0.0…", Assert.Single(progress));
        Assert.Equal($"hello x from {RuntimeInformation.RuntimeIdentifier}, greeting 1.0.0", hello.ReturnValue);
        Assert.Matches(@"^\d+\.\d+", (string)native.ReturnValue!);
    }

    [Fact]
    public async Task A_package_that_cannot_be_had_is_one_sentence_at_the_submission_line()
    {
        using var world = new PackageWorld(feed.Config());
        var evaluator = new ReplEvaluator(new ScriptGlobals(null!), new PackageRestore(world.Cache, world.GlobalPackages), world.Scripts);

        var failed = Assert.IsType<ScriptOutcome.CompileFailed>(await evaluator.EvaluateAsync("#r \"nuget: Dsn.Nothing\""));

        Assert.StartsWith("(1,1): error DS0102: package Dsn.Nothing was not found (tried ", Assert.Single(failed.Diagnostics));
    }

    [Fact]
    public async Task A_loaded_package_keeps_its_version_for_the_session()
    {
        using var world = new PackageWorld(feed.Config());
        var evaluator = new ReplEvaluator(new ScriptGlobals(null!), new PackageRestore(world.Cache, world.GlobalPackages), world.Scripts);
        Assert.IsType<ScriptOutcome.Completed>(await evaluator.EvaluateAsync("#r \"nuget: Dsn.Greeting, 1.0.0\""));

        var failed = Assert.IsType<ScriptOutcome.CompileFailed>(await evaluator.EvaluateAsync("#r \"nuget: Dsn.Greeting, 2.0.0\""));

        Assert.Equal("(1,1): error DS0102: Dsn.Greeting 1.0.0 is already loaded in this session and cannot become 2.0.0; ask for 1.0.0, or start a new REPL for 2.0.0.", Assert.Single(failed.Diagnostics));
    }
}
