using Spectre.Console;

namespace DockScript.Cli;

/// <summary>
/// Draws a progress bar while a reachability matrix runs, once it has taken over a second (a
/// quick matrix shows nothing), and never when the output is redirected.
/// </summary>
internal static class MatrixProgress
{
    /// <summary>How long a matrix runs before its bar appears.</summary>
    internal static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>The display for <paramref name="console"/>; silent when <paramref name="redirected"/>.</summary>
    public static ReachabilityDisplay For(IAnsiConsole console, bool redirected) => async (pairs, matrix) =>
    {
        var done = 0;
        var running = matrix(new Count(n => Volatile.Write(ref done, n)));
        if (redirected || !console.Profile.Capabilities.Interactive
            || await Task.WhenAny(running, Task.Delay(Quiet)).ConfigureAwait(false) == running)
        {
            await running.ConfigureAwait(false);
            return;
        }
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask($"reachability: {pairs:N0} pairs", maxValue: pairs);
                while (!running.IsCompleted)
                {
                    bar.Value = Volatile.Read(ref done);
                    await Task.WhenAny(running, Task.Delay(100)).ConfigureAwait(false);
                }
                bar.Value = pairs;
            }).ConfigureAwait(false);
        await running.ConfigureAwait(false);
    };

    /// <summary>Hears the count of pairs done on the matrix's own thread (Progress&lt;T&gt; would post them late).</summary>
    private sealed class Count(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
