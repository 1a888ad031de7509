namespace DockScript.Tests;

/// <summary>
/// Finding the engine as the docker CLI does: DOCKER_HOST with its TLS variables, DOCKER_CONTEXT,
/// the current context in config.json and the context store, all in a temporary home.
/// </summary>
public sealed class DockerContextTests : IDisposable
{
    private readonly TempDir home = new();

    public void Dispose() => home.Dispose();

    private CliEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => v.Value), home.Path);

    private string Docker(string relative) => Path.Combine(home.Path, ".docker", relative);

    /// <summary>Writes a context as 'docker context create' does, optionally with TLS files.</summary>
    private void Context(string name, string host, bool skipVerify = false, bool tls = false)
    {
        var id = DockerContexts.Id(name);
        home.Write($".docker/contexts/meta/{id}/meta.json",
            "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":" + (skipVerify ? "true" : "false") + "}}}");
        if (tls)
        {
            WriteCertificates(Path.Combine(home.Path, ".docker", "contexts", "tls", id, "docker"));
        }
    }

    private void Current(string name) => home.Write(".docker/config.json", $$"""{"auths":{},"currentContext":"{{name}}"}""");

    private static void WriteCertificates(string folder) => TestCertificates.Write(folder);

    [Fact]
    public void Nothing_set_means_the_local_socket()
    {
        var endpoint = DockerEndpoint.Resolve(Env());

        Assert.Equal(DockerEndpoint.DefaultSocket, endpoint.ToString());
        Assert.Null(endpoint.Tls);
        Assert.Null(endpoint.Warning);
        Assert.Equal("local socket", endpoint.Transport);
    }

    [Fact]
    public void DOCKER_TLS_VERIFY_takes_the_certificates_from_DOCKER_CERT_PATH_and_defaults_the_port_to_2376()
    {
        var endpoint = DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://10.0.0.5"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", "/certs")));

        Assert.Equal(2376, endpoint.Uri.Port);
        Assert.Equal(new EngineTls("/certs", Verify: true, "DOCKER_TLS_VERIFY"), endpoint.Tls);
        Assert.Equal("/certs/key.pem", endpoint.Tls!.KeyFile);
        Assert.Null(endpoint.Warning);
        Assert.Equal("DOCKER_HOST", endpoint.Source);
        Assert.StartsWith("TLS, engine verified against /certs/ca.pem", endpoint.Transport);
    }

    [Fact]
    public void Without_DOCKER_CERT_PATH_the_certificates_are_in_the_CLI_folder_which_DOCKER_CONFIG_moves()
    {
        Assert.Equal(Path.Combine(home.Path, ".docker"), DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://h:2376"), ("DOCKER_TLS_VERIFY", "1"))).Tls!.Folder);
        Assert.Equal("/etc/dockercli", DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://h:2376"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CONFIG", "/etc/dockercli"))).Tls!.Folder);
    }

    [Fact]
    public void DOCKER_TLS_alone_encrypts_without_verifying_the_engine()
    {
        var tls = DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://h:2376"), ("DOCKER_TLS", "1"))).Tls;

        Assert.NotNull(tls);
        Assert.False(tls.Verify);
        Assert.Contains("without verifying", tls.ToString());
    }

    [Fact]
    public void Plain_tcp_gets_one_warning_line_that_says_how_to_fix_it()
    {
        var endpoint = DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://h")));

        Assert.Equal(2375, endpoint.Uri.Port);
        Assert.True(endpoint.IsPlainTcp);
        Assert.StartsWith("tcp://h:2375/ is plain TCP", endpoint.Warning);
        Assert.Contains("DOCKER_TLS_VERIFY=1", endpoint.Warning);
        Assert.DoesNotContain('\n', endpoint.Warning!);
    }

    [Fact]
    public void DOCKER_HOST_beats_DOCKER_CONTEXT_which_beats_the_current_context()
    {
        Context("prod", "tcp://10.1.1.1:2375");
        Context("stage", "tcp://10.2.2.2:2375");
        Current("stage");

        Assert.Equal("tcp://10.2.2.2:2375/", DockerEndpoint.Resolve(Env()).ToString());
        Assert.Equal("tcp://10.1.1.1:2375/", DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "prod"))).ToString());
        Assert.Equal("tcp://10.3.3.3:2375/", DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "prod"), ("DOCKER_HOST", "tcp://10.3.3.3:2375"))).ToString());
    }

    [Fact]
    public void The_current_context_is_read_from_the_store_with_its_TLS_files()
    {
        Context("prod", "tcp://10.1.1.1:2376", tls: true);
        Current("prod");

        var endpoint = DockerEndpoint.Resolve(Env());

        Assert.Equal("prod", endpoint.Context);
        Assert.Equal("context prod (currentContext in ~/.docker/config.json)", endpoint.Source);
        Assert.Equal(Docker($"contexts/tls/{DockerContexts.Id("prod")}/docker"), endpoint.Tls!.Folder);
        Assert.True(endpoint.Tls.Verify);
        Assert.True(endpoint.Tls.Credentials().TlsEnabled);
    }

    [Fact]
    public void SkipTLSVerify_encrypts_without_verifying_and_a_context_without_TLS_is_plain()
    {
        Context("lax", "tcp://10.1.1.1:2376", skipVerify: true, tls: true);
        Context("open", "tcp://10.1.1.1:2375");

        Assert.False(DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "lax"))).Tls!.Verify);
        var open = DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "open")));
        Assert.Null(open.Tls);
        Assert.NotNull(open.Warning);
        Assert.Equal("context open (DOCKER_CONTEXT)", open.Source);
    }

    [Fact]
    public void The_way_back_to_the_local_socket_undoes_what_named_the_engine()
    {
        Context("prod", "tcp://10.1.1.1:2375");

        Assert.Equal("unset DOCKER_HOST", DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://h:2375"))).BackToLocal);
        Assert.Equal("unset DOCKER_CONTEXT", DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "prod"))).BackToLocal);
        Current("prod");
        Assert.Equal("run 'docker context use default'", DockerEndpoint.Resolve(Env()).BackToLocal);
    }

    [Fact]
    public void The_default_context_is_the_local_socket()
    {
        Current("default");
        Assert.Equal(DockerEndpoint.DefaultSocket, DockerEndpoint.Resolve(Env()).ToString());

        var named = DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "default")));
        Assert.Equal(DockerEndpoint.DefaultSocket, named.ToString());
        Assert.Equal("default", named.Context);
    }

    [Fact]
    public void A_context_that_is_not_in_the_store_is_one_sentence_naming_it()
    {
        var error = Assert.Throws<DockScriptException>(() => DockerEndpoint.Resolve(Env(("DOCKER_CONTEXT", "nope"))));

        Assert.Equal("DOCKER_CONTEXT names the docker context 'nope', which is not in ~/.docker/contexts; create it with 'docker context create nope --docker host=…', or pick one that 'docker context ls' lists.", error.Message);
    }

    [Fact]
    public void A_broken_config_json_is_one_sentence_naming_the_file()
    {
        home.Write(".docker/config.json", "{ not json");

        var error = Assert.Throws<DockScriptException>(() => DockerEndpoint.Resolve(Env()));

        Assert.StartsWith("Cannot read the docker CLI's configuration in ~/.docker/config.json (", error.Message);
        Assert.EndsWith("fix the file, or set DOCKER_HOST to bypass it.", error.Message);
    }

    [Fact]
    public void The_context_folder_is_the_sha256_of_its_name_as_the_CLI_makes_it() =>
        Assert.Equal("6754af9632a2745e85c293e5aac0863370d9bd3330b9938c00cadfd215227d77", DockerContexts.Id("prod"));

    [Fact]
    public void An_ssh_engine_is_refused_with_the_tunnel_to_use_instead()
    {
        var error = Assert.Throws<DockScriptException>(() => DockerEndpoint.Resolve(Env(("DOCKER_HOST", "ssh://me@box"))));

        Assert.Contains("ssh -NL /tmp/docker.sock:/var/run/docker.sock me@box", error.Message);
    }

    [Theory]
    [InlineData("key.pem")]
    [InlineData("cert.pem")]
    [InlineData("ca.pem")]
    public void A_missing_certificate_file_is_one_sentence_naming_it(string missing)
    {
        var folder = Path.Combine(home.Path, "certs");
        WriteCertificates(folder);
        File.Delete(Path.Combine(folder, missing));
        var tls = DockerEndpoint.Resolve(Env(("DOCKER_HOST", "tcp://h:2376"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", folder))).Tls!;

        var error = Assert.Throws<DockScriptException>(tls.Credentials);

        Assert.StartsWith("DOCKER_TLS_VERIFY needs ", error.Message);
        Assert.Contains($"in {Path.Combine(folder, missing)}, which does not exist; copy ca.pem, cert.pem and key.pem for this engine into {folder} (or point DOCKER_CERT_PATH at the folder that has them).", error.Message);
    }

    [Theory]
    [InlineData("ca.pem")]
    [InlineData("key.pem")]
    public void An_unreadable_certificate_file_is_one_sentence_naming_it(string broken)
    {
        var folder = Path.Combine(home.Path, "certs");
        WriteCertificates(folder);
        File.WriteAllText(Path.Combine(folder, broken), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        var tls = new EngineTls(folder, Verify: true, "DOCKER_TLS_VERIFY");

        var error = Assert.Throws<DockScriptException>(tls.Credentials);

        Assert.StartsWith("DOCKER_TLS_VERIFY needs ", error.Message);
        Assert.Contains("but it cannot be read (", error.Message);
        Assert.EndsWith("replace it with the PEM file made for this engine.", error.Message);
        Assert.Contains(broken == "ca.pem" ? Path.Combine(folder, "ca.pem") : Path.Combine(folder, "cert.pem"), error.Message);
    }
}
