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

    [Theory]
    [MemberData(nameof(Runnable))]
    public async Task The_example_runs_and_cleans_up(string where)
    {
        var example = DocExample.All().Single(e => e.ToString() == where);
        var prefix = Name("demo-");
        var path = Path.Combine(Path.GetTempPath(), $"{Name("doc")}-{Path.GetFileNameWithoutExtension(example.File)}-{example.Line}.csx");
        await File.WriteAllTextAsync(path, example.Code.Replace("demo-", prefix, StringComparison.Ordinal));
        try
        {
            var (code, stdout, stderr) = await CliTests.DockscriptAsync(null, "run", path);

            Assert.True(code == 0, $"The runnable example at {where} failed (exit {code}):\n{stderr}{stdout}");
            Assert.DoesNotContain("warning", stderr);
            Assert.NotEqual("", stdout);
            Assert.DoesNotContain(await Lab.Docker.Containers.ListContainersAsync(new() { All = true }), c => c.Names!.Any(n => n.Contains(prefix, StringComparison.Ordinal)));
            Assert.DoesNotContain(await Lab.Docker.Networks.ListNetworksAsync(), n => n.Name.StartsWith(prefix, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
