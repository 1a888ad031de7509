using Spectre.Console;

namespace DockScript.Cli;

/// <summary>Draws a progress bar while the engine pulls an image.</summary>
internal static class PullProgress
{
    public static Task Show(string image, Func<IProgress<PullStatus>, Task> pull) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"pull {Markup.Escape(image)}");
                var layers = new Dictionary<string, (long Current, long Total)>();
                await pull(new Progress<PullStatus>(s =>
                {
                    if (s.Layer is { } layer && s.Total is > 0)
                    {
                        layers[layer] = (s.Current ?? 0, s.Total.Value);
                        task.MaxValue = layers.Values.Sum(l => l.Total);
                        task.Value = layers.Values.Sum(l => l.Current);
                    }
                })).ConfigureAwait(false);
                task.Value = task.MaxValue;
            });
}
