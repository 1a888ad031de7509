using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace DockScript;

/// <summary>
/// The one place where Docker.DotNet's failures become DockScript's: every
/// <see cref="DockerApiException"/>, socket failure or timeout leaves the gateway as a
/// <see cref="DockScriptException"/> kind carrying one actionable sentence.
/// </summary>
internal static class EngineErrors
{
    /// <summary>
    /// Runs one Docker call. <paramref name="what"/> completes "Could not …" (e.g. "start nginx1"),
    /// so a refusal reads <c>Could not start nginx1: &lt;the daemon's words&gt;.</c>
    /// </summary>
    public static async Task<T> Guard<T>(DockerEndpoint endpoint, string what, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (DockerApiException e)
        {
            throw Refused(what, e);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TimeoutException
                                      or OperationCanceledException or System.Security.Authentication.AuthenticationException
                                      // Docker.DotNet's TCP connector wraps a refused connection (an engine in a cluster node going down).
                                      or AggregateException { InnerException: SocketException or IOException })
        {
            throw Unavailable(endpoint, e);
        }
    }

    /// <inheritdoc cref="Guard{T}"/>
    public static Task Guard(DockerEndpoint endpoint, string what, Func<Task> call, CancellationToken ct) =>
        Guard(endpoint, what, async () => { await call().ConfigureAwait(false); return true; }, ct);

    /// <summary>True when the engine answered "no such thing" (404).</summary>
    public static bool IsNotFound(Exception e) => e is DockScriptException { Status: HttpStatusCode.NotFound };

    internal static DockScriptException Refused(string what, DockerApiException e)
    {
        var says = MessageOf(e);
        var message = $"Could not {what}: {says.TrimEnd('.')}.";
        if (says.Contains("HTTP request to an HTTPS server", StringComparison.Ordinal))
        {
            // The port speaks TLS and we did not: say which switch turns it on.
            message = $"Could not {what}: the engine speaks TLS there; set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem.";
        }
        DockScriptException mapped = e.StatusCode switch
        {
            HttpStatusCode.NotFound => new NotFoundException(message),
            HttpStatusCode.Conflict => new ConflictException(message),
            // A daemon that is restarting (or dying) answers 500/503 for a moment: say so, so the
            // user retries rather than reads the daemon's internals as their mistake.
            >= HttpStatusCode.InternalServerError => new DockScriptException(
                $"Could not {what}: the engine failed ({says.TrimEnd('.')}); if it is restarting, try again in a moment.", e),
            _ => new DockScriptException(message, e),
        };
        mapped.Status = e.StatusCode;
        mapped.EngineSays = says;
        return mapped;
    }

    internal static EngineUnavailableException Unavailable(DockerEndpoint endpoint, Exception? inner) =>
        new(TlsFailure(endpoint, inner) ?? (endpoint.IsLocal
                ? $"No Docker engine answers at {endpoint}; start one with scripts/engine (or 'systemctl start docker'), or point DOCKER_HOST at a running engine."
                : $"No Docker engine answers at {endpoint}; check that it is running and reachable, or {endpoint.BackToLocal} to use the local socket."),
            inner);

    /// <summary>
    /// The sentence for a TLS handshake that failed, naming the file to fix; null when
    /// <paramref name="e"/> is not one. Our check of the engine's certificate fails on our side
    /// ("rejected by the provided RemoteCertificateValidationCallback"); the engine refusing our
    /// client certificate shows as any other handshake failure.
    /// </summary>
    internal static string? TlsFailure(DockerEndpoint endpoint, Exception? e)
    {
        if (endpoint.Tls is not { } tls)
        {
            return null;
        }
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is System.Security.Authentication.AuthenticationException)
            {
                return x.Message.Contains("RemoteCertificateValidationCallback", StringComparison.Ordinal)
                    ? $"The engine at {endpoint} presented a certificate that {tls.CaFile} did not sign (or that does not name {endpoint.Uri.Host}); use the ca.pem of the CA that signed the engine's certificate."
                    : $"The TLS handshake with {endpoint} failed ({x.Message.TrimEnd('.')}); check that {tls.CertFile} and {tls.KeyFile} were signed by the CA the engine trusts (its --tlscacert).";
            }
        }
        return null;
    }

    /// <summary>The daemon's own words from an API error body (<c>{"message": "…"}</c>).</summary>
    internal static string MessageOf(DockerApiException e)
    {
        try
        {
            using var doc = JsonDocument.Parse(e.ResponseBody ?? "");
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text)
            {
                return text.Trim();
            }
        }
        catch (JsonException)
        {
        }
        return string.IsNullOrWhiteSpace(e.ResponseBody) ? e.StatusCode.ToString() : e.ResponseBody.Trim();
    }
}
