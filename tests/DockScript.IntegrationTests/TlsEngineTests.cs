using DockScript.Tests;

namespace DockScript.IntegrationTests;

/// <summary>
/// DockScript on an engine that speaks TLS only, found the way the docker CLI finds it
/// (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, or a context), and the one sentence for
/// each certificate that is wrong or missing.
/// </summary>
public sealed class TlsEngineTests(TlsEngine tls) : IClassFixture<TlsEngine>
{
    private string Name(string suffix) => $"{tls.Run}-{suffix}";

    [Fact]
    public async Task A_Lab_on_the_TLS_engine_runs_containers_and_pings_between_them()
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Endpoint = tls.Endpoint(), Dns = ["127.0.0.1"] });
        Assert.NotNull(lab.Engine.Endpoint.Tls);
        Assert.False(lab.Engine.CanReadHostProc);
        Assert.StartsWith("20.", lab.Engine.DaemonVersion, StringComparison.Ordinal);

        var net = await lab.Networks.CreateAsync(Name("net"));
        var a = await lab.Containers.RunAsync("dockscript/web", name: Name("a"), network: net.Name);
        var b = await lab.Containers.RunAsync("dockscript/web", name: Name("b"), network: net.Name);
        Assert.Equal([a.Name, b.Name], (await lab.Containers.ListAsync()).Select(c => c.Name).Order(StringComparer.Ordinal));

        // The first probe from a source starts its helper on the nested engine; on a loaded machine
        // its first reply can take longer than the default second.
        var ping = await lab.Probes.PingAsync(a, b, count: 1, timeout: TimeSpan.FromSeconds(10));
        Assert.True(ping.Success, ping.ToString());

        var report = await lab.CleanupAsync();
        Assert.Equal([a.Name, b.Name], report.Containers.Order(StringComparer.Ordinal));
        Assert.Equal([net.Name], report.Networks);
    }

    [Fact]
    public async Task Doctor_names_the_endpoint_and_says_TLS_is_verified()
    {
        var (code, output, error) = await CliTests.DockscriptAsync(tls.Variables(), "doctor");

        Assert.True(code == 0, output + error);
        Assert.Contains($"ok    endpoint    {tls.Host}/ from DOCKER_HOST: TLS, engine verified against {tls.CertPath}/ca.pem, client certificate {tls.CertPath}/cert.pem", output);
        Assert.Contains($"ok    engine      {tls.Host}/: Docker 20.", output);
        Assert.DoesNotContain("plain TCP", output + error);
    }

    [Fact]
    public async Task A_current_context_with_the_TLS_files_reaches_the_engine()
    {
        using var home = new TempDir();
        var id = DockerContexts.Id(Name("ctx"));
        home.Write($".docker/contexts/meta/{id}/meta.json",
            "{\"Name\":\"" + Name("ctx") + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + tls.Host + "\",\"SkipTLSVerify\":false}}}");
        home.Write(".docker/config.json", "{\"currentContext\":\"" + Name("ctx") + "\"}");
        var folder = Path.Combine(home.Path, ".docker", "contexts", "tls", id, "docker");
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "ca.pem", "cert.pem", "key.pem" })
        {
            File.Copy(Path.Combine(tls.CertPath, file), Path.Combine(folder, file));
        }

        var endpoint = DockerEndpoint.Resolve(new CliEnvironment(new Dictionary<string, string>(), home.Path));
        using var engine = await DockerEngine.ConnectAsync(endpoint);

        Assert.Equal(Name("ctx"), engine.Endpoint.Context);
        Assert.StartsWith("20.", engine.DaemonVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CA_that_did_not_sign_the_engine_is_one_sentence_naming_ca_pem()
    {
        using var other = new TempDir();
        TestCertificates.Write(other.Path);
        foreach (var file in new[] { "cert.pem", "key.pem" })
        {
            File.Copy(Path.Combine(tls.CertPath, file), Path.Combine(other.Path, file), overwrite: true);
        }

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => DockerEngine.ConnectAsync(tls.Endpoint(other.Path)));

        Assert.Equal($"The engine at {tls.Host}/ presented a certificate that {other.Path}/ca.pem did not sign (or that does not name 127.0.0.1); use the ca.pem of the CA that signed the engine's certificate.", error.Message);
    }

    [Fact]
    public async Task A_client_certificate_the_engine_does_not_trust_is_one_sentence_naming_cert_pem()
    {
        using var other = new TempDir();
        TestCertificates.Write(other.Path);
        File.Copy(Path.Combine(tls.CertPath, "ca.pem"), Path.Combine(other.Path, "ca.pem"), overwrite: true);

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => DockerEngine.ConnectAsync(tls.Endpoint(other.Path)));

        Assert.Contains($"check that {other.Path}/cert.pem and {other.Path}/key.pem were signed by the CA the engine trusts", error.Message);
    }

    [Fact]
    public async Task A_missing_key_is_one_sentence_before_anything_connects()
    {
        using var partial = new TempDir();
        foreach (var file in new[] { "ca.pem", "cert.pem" })
        {
            File.Copy(Path.Combine(tls.CertPath, file), Path.Combine(partial.Path, file));
        }

        var (code, _, error) = await CliTests.DockscriptAsync(tls.Variables(partial.Path), CliTests.Fixture("ExitCode"), "0");

        Assert.NotEqual(0, code);
        Assert.Contains($"DOCKER_TLS_VERIFY needs the client certificate's key in {partial.Path}/key.pem, which does not exist", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Without_the_TLS_variables_the_TLS_port_says_to_set_them()
    {
        var plain = new Dictionary<string, string> { ["DOCKER_HOST"] = tls.Host };

        var (code, _, error) = await CliTests.DockscriptAsync(plain, CliTests.Fixture("ExitCode"), "0");

        Assert.NotEqual(0, code);
        Assert.Contains("the engine speaks TLS there; set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH", error);
    }
}
