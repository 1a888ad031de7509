using System.Net;
using System.Net.Sockets;
using Docker.DotNet;

namespace DockScript.Tests;

public class EngineErrorsTests
{
    private static readonly DockerEndpoint Local = DockerEndpoint.FromEnvironment("unix:///var/run/docker.sock");

    private static Task Refuse(HttpStatusCode status, string message) =>
        EngineErrors.Guard(Local, "start nginx1", () => throw new DockerApiException(status, $"{{\"message\":\"{message}\"}}"), CancellationToken.None);

    [Fact]
    public async Task A_404_is_NotFound_in_one_sentence_with_the_daemon_s_words()
    {
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Refuse(HttpStatusCode.NotFound, "No such container: nginx1"));
        Assert.Equal("Could not start nginx1: No such container: nginx1.", e.Message);
        Assert.Equal("No such container: nginx1", e.EngineSays);
        Assert.True(EngineErrors.IsNotFound(e));
    }

    [Fact]
    public async Task A_409_is_a_Conflict()
    {
        var e = await Assert.ThrowsAsync<ConflictException>(() => Refuse(HttpStatusCode.Conflict, "name in use"));
        Assert.Equal("Could not start nginx1: name in use.", e.Message);
    }

    [Fact]
    public async Task A_500_while_the_daemon_restarts_says_to_try_again()
    {
        var e = await Assert.ThrowsAsync<DockScriptException>(() => Refuse(HttpStatusCode.InternalServerError, "daemon is shutting down"));
        Assert.Equal("Could not start nginx1: the engine failed (daemon is shutting down); if it is restarting, try again in a moment.", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Socket_failures_and_timeouts_are_an_unavailable_engine()
    {
        foreach (var failure in new Exception[] { new HttpRequestException("boom"), new SocketException(), new IOException("pipe"), new TimeoutException(), new TaskCanceledException() })
        {
            var e = await Assert.ThrowsAsync<EngineUnavailableException>(() =>
                EngineErrors.Guard(Local, "list containers", () => Task.FromException(failure), CancellationToken.None));
            Assert.Contains("No Docker engine answers at", e.Message);
        }
    }

    [Fact]
    public async Task The_caller_s_own_cancellation_stays_a_cancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            EngineErrors.Guard(Local, "list containers", () => Task.FromCanceled(cts.Token), cts.Token));
    }
}
