namespace DockScript;

/// <summary>One progress message from the engine while it pulls an image.</summary>
/// <param name="Image">The image being pulled.</param>
/// <param name="Layer">The layer the message is about, if any.</param>
/// <param name="Status">The engine's words, e.g. "Downloading".</param>
/// <param name="Current">Bytes done so far, when known.</param>
/// <param name="Total">Bytes in all, when known.</param>
internal sealed record PullStatus(string Image, string? Layer, string Status, long? Current, long? Total);

/// <summary>
/// Wraps a pull so that a front end can show progress around it (the CLI draws a progress bar).
/// Core itself never writes to a console.
/// </summary>
/// <param name="image">The image about to be pulled.</param>
/// <param name="pull">The pull; call it with the progress sink to report to.</param>
internal delegate Task PullDisplay(string image, Func<IProgress<PullStatus>, Task> pull);
