using DockScript.Tests;

namespace DockScript.IntegrationTests;

/// <summary>
/// The documentation's <c>// runnable</c> examples run with <c>dockscript run</c> on the real
/// engine, exit 0 and leave nothing behind. Their <c>demo-…</c> names get this run's prefix, so
/// two test runs on one engine never share a name.
/// </summary>
public sealed class DocExampleRunTests(EngineFixture fx) : EngineTest(fx)
{
    public static TheoryData<string> Runnable() => [.. DocExample.All().Where(e => e.Runnable).Select(e => e.ToString())];

    /// <summary>docs/DIAGNOSIS.md's scripts, which run again on the helper path (DOCKSCRIPT_PORTABLE=1).</summary>
    public static TheoryData<string> Diagnoses() =>
        [.. DocExample.All().Where(e => e.Runnable && Path.GetFileName(e.File) == "DIAGNOSIS.md").Select(e => e.ToString())];

    [Theory]
    [MemberData(nameof(Runnable))]
    public Task The_example_runs_and_cleans_up(string where) => RunAsync(where, portable: false);

    [Theory]
    [MemberData(nameof(Diagnoses))]
    public Task The_diagnosis_example_runs_on_the_helper_path_too(string where) => RunAsync(where, portable: true);

    private async Task RunAsync(string where, bool portable)
    {
        var example = DocExample.All().Single(e => e.ToString() == where);
        var prefix = Name(portable ? "demp-" : "demo-");
        var path = Path.Combine(Path.GetTempPath(), $"{Name("doc")}-{Path.GetFileNameWithoutExtension(example.File)}-{example.Line}{(portable ? "-p" : "")}.csx");
        await File.WriteAllTextAsync(path, example.Code.Replace("demo-", prefix, StringComparison.Ordinal));
        try
        {
            var env = portable ? new Dictionary<string, string> { ["DOCKSCRIPT_PORTABLE"] = "1" } : null;
            var (code, stdout, stderr) = await CliTests.DockscriptAsync(env, "run", path);

            Assert.True(code == 0, $"The runnable example at {where} failed (exit {code}):\n{stderr}{stdout}");
            Assert.DoesNotContain("warning", stderr);
            Assert.NotEqual("", stdout);
            if (Path.GetFileName(example.File) == "DIAGNOSIS.md" && stdout.Contains("(via ", StringComparison.Ordinal))
            {
                // An explanation's real probe ran on the path asked for.
                Assert.Contains(portable ? "(via helper)" : "(via namespace)", stdout);
                Assert.DoesNotContain(portable ? "(via namespace)" : "(via helper)", stdout);
            }
            Assert.DoesNotContain(await Lab.Docker.Containers.ListContainersAsync(new() { All = true }), c => c.Names!.Any(n => n.Contains(prefix, StringComparison.Ordinal)));
            Assert.DoesNotContain(await Lab.Docker.Networks.ListNetworksAsync(), n => n.Name.StartsWith(prefix, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
