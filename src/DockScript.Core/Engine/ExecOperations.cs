using Docker.DotNet.Models;

namespace DockScript;

/// <summary>Commands run inside containers (<c>docker exec</c>).</summary>
internal sealed class ExecOperations(DockerEngine engine)
{
    private readonly DockerEngine engine = engine;

    /// <summary>Runs <paramref name="argv"/> in the container to its end; its exit code and output.</summary>
    public async Task<ExecResult> RunAsync(string containerId, IReadOnlyList<string> argv, string what, CancellationToken ct)
    {
        // The same TTY flag on create and start: a mismatch garbles the multiplexed stream.
        const bool tty = false;
        var exec = await Guard(what, () => engine.Client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = argv.ToList(),
            AttachStdout = true,
            AttachStderr = true,
            TTY = tty,
        }, ct), ct).ConfigureAwait(false);
        using var stream = await Guard(what, () => engine.Client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { TTY = tty }, ct), ct).ConfigureAwait(false);
        var (stdout, stderr) = await Guard(what, () => stream.ReadOutputToEndAsync(ct), ct).ConfigureAwait(false);
        var done = await Guard(what, () => engine.Client.Exec.InspectContainerExecAsync(exec.ID, ct), ct).ConfigureAwait(false);
        return new ExecResult(done.ExitCode ?? -1, stdout, stderr);
    }

    private Task<T> Guard<T>(string what, Func<Task<T>> call, CancellationToken ct) => EngineErrors.Guard(engine.Endpoint, what, call, ct);
}
