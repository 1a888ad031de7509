using DockScript.Cli;
using Spectre.Console.Testing;

namespace DockScript.Tests;

/// <summary>The reachability bar: shown once a matrix takes over a second, never when output is redirected.</summary>
public sealed class MatrixProgressTests
{
    [Fact]
    public async Task A_slow_matrix_gets_a_bar_once_it_has_run_a_second()
    {
        var console = new TestConsole().Interactive().EmitAnsiSequences();
        var display = MatrixProgress.For(console, redirected: false);
        var shown = false;
        await display(90, async progress =>
        {
            progress.Report(45);
            // The matrix ends only once the bar is on the console, within a bounded wait.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!console.Output.Contains("reachability: 90 pairs", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "no progress bar within 20 s");
                await Task.Delay(20);
            }
            shown = true;
        });
        Assert.True(shown);
    }

    [Theory]
    [InlineData(true, false)] // output redirected
    [InlineData(false, true)] // done before a second has passed
    public async Task Redirected_output_or_a_quick_matrix_shows_nothing(bool redirected, bool quick)
    {
        var console = new TestConsole().Interactive();
        var display = MatrixProgress.For(console, redirected);
        var ran = false;
        await display(90, async progress =>
        {
            progress.Report(90);
            if (!quick)
            {
                // Long enough that a bar would have appeared, were one allowed.
                var deadline = DateTime.UtcNow + MatrixProgress.Quiet * 2;
                while (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
            ran = true;
        });
        Assert.True(ran);
        Assert.Equal("", console.Output);
    }
}
