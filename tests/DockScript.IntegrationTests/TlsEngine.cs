using System.Diagnostics;

namespace DockScript.IntegrationTests;

/// <summary>
/// A second engine that speaks TLS only, shared by the tests of one class: a nested dockerd in a
/// container of the host's engine (scripts/tls-engine), with a CA, server and client certificates
/// that openssl makes for this run. Stopping it removes the container and its cgroups; the host's
/// engine is never reconfigured.
/// </summary>
public sealed class TlsEngine : IAsyncLifetime
{
    /// <summary>The run's prefix; the nested engine's container and every name made on it start with it.</summary>
    public string Run { get; } = "tls" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>ca.pem, cert.pem and key.pem for this engine (DOCKER_CERT_PATH).</summary>
    public string CertPath { get; } = Path.Combine(Path.GetTempPath(), "dockscript-tls-" + Guid.NewGuid().ToString("N"));

    /// <summary>The engine's address, <c>tcp://127.0.0.1:PORT</c>.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The docker CLI's variables for this engine, with the certificates in <paramref name="certPath"/> (default: the right ones).</summary>
    public Dictionary<string, string> Variables(string? certPath = null) => new()
    {
        ["DOCKER_HOST"] = Host,
        ["DOCKER_TLS_VERIFY"] = "1",
        ["DOCKER_CERT_PATH"] = certPath ?? CertPath,
    };

    /// <summary>The endpoint DockScript resolves from <see cref="Variables"/>.</summary>
    internal DockerEndpoint Endpoint(string? certPath = null) =>
        DockerEndpoint.Resolve(new CliEnvironment(Variables(certPath), Path.GetTempPath()));

    public async Task InitializeAsync()
    {
        var (code, output, error) = await ScriptAsync("start", $"{Run}-engine", CertPath);
        Assert.True(code == 0, $"scripts/tls-engine could not start the TLS engine: {error}");
        Host = output.Trim();
    }

    public async Task DisposeAsync()
    {
        await ScriptAsync("stop", $"{Run}-engine");
        Directory.Delete(CertPath, recursive: true);
    }

    private static async Task<(int Code, string Out, string Err)> ScriptAsync(params string[] args)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "DockScript.sln")))
        {
            dir = dir.Parent;
        }
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(dir.FullName, "scripts", "tls-engine"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await output, await error);
    }
}
