using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;

namespace DockScript;

/// <summary>
/// The TLS material for a TCP engine, as the docker CLI finds it: <c>ca.pem</c>, <c>cert.pem</c>
/// and <c>key.pem</c> in one folder (<c>DOCKER_CERT_PATH</c>, <c>~/.docker</c>, or a context's
/// <c>tls/&lt;id&gt;/docker</c>). Files are checked here, before any connection, so a missing or
/// unreadable one is a sentence that names it.
/// </summary>
/// <param name="Folder">Where the files are (or should be).</param>
/// <param name="Verify">True to check the engine's certificate against <c>ca.pem</c>; false trusts any (SkipTLSVerify, DOCKER_TLS without DOCKER_TLS_VERIFY).</param>
/// <param name="From">What asked for TLS, for messages: "DOCKER_TLS_VERIFY", "context prod".</param>
internal sealed record EngineTls(string Folder, bool Verify, string From)
{
    /// <summary>The CA that signed the engine's certificate.</summary>
    public string CaFile => Path.Combine(Folder, "ca.pem");

    /// <summary>The client certificate the engine checks.</summary>
    public string CertFile => Path.Combine(Folder, "cert.pem");

    /// <summary>The client certificate's private key.</summary>
    public string KeyFile => Path.Combine(Folder, "key.pem");

    /// <summary>
    /// TLS from <c>DOCKER_TLS_VERIFY</c> (verify) or <c>DOCKER_TLS</c> (encrypt only); null when
    /// neither is set. As in the docker CLI, any non-empty value turns them on.
    /// </summary>
    public static EngineTls? FromEnvironment(CliEnvironment env)
    {
        var verify = env["DOCKER_TLS_VERIFY"] is not null;
        if (!verify && env["DOCKER_TLS"] is null)
        {
            return null;
        }
        var folder = env["DOCKER_CERT_PATH"] ?? env.ConfigFolder;
        return new EngineTls(folder, verify, verify ? "DOCKER_TLS_VERIFY" : "DOCKER_TLS");
    }

    /// <summary>Loads the files into Docker.DotNet's client-certificate credentials.</summary>
    /// <exception cref="DockScriptException">A file is missing or is not what it should be.</exception>
    internal IAuthProvider Credentials()
    {
        var client = LoadClientCertificate();
        if (!Verify)
        {
            // The user asked for this (SkipTLSVerify, or DOCKER_TLS without DOCKER_TLS_VERIFY), as the docker CLI allows.
#pragma warning disable CA5359
            return new CertificateCredentials(client) { ServerCertificateValidationCallback = (_, _, _, _) => true };
#pragma warning restore CA5359
        }
        var ca = Load(CaFile, "the CA certificate that signed the engine's certificate", DockerTlsCertificates.LoadCertificateAuthorityFromPemFile);
        var credentials = new CertificateCredentials(client);
        var signedByCa = DockerTlsCertificates.CreateCertificateAuthorityValidationCallback(ca);
        // The library's callback checks the chain to ca.pem; the name (an IP SAN or DNS name for the
        // host in DOCKER_HOST) is checked here too, as the docker CLI does.
        credentials.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
            (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
            && signedByCa(sender, certificate, chain, errors);
        return credentials;
    }

    private X509Certificate2 LoadClientCertificate()
    {
        Require(CertFile, "the client certificate");
        Require(KeyFile, "the client certificate's key");
        return Load(CertFile, "the client certificate (with key.pem beside it)", path => DockerTlsCertificates.LoadCertificateFromPemFiles(path, KeyFile));
    }

    private X509Certificate2 Load(string path, string what, Func<string, X509Certificate2> load)
    {
        Require(path, what);
        try
        {
            return load(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DockScriptException(
                $"{From} needs {what} in {path}, but it cannot be read ({e.Message.TrimEnd('.')}); replace it with the PEM file made for this engine.", e);
        }
    }

    private void Require(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new DockScriptException(
                $"{From} needs {what} in {path}, which does not exist; copy ca.pem, cert.pem and key.pem for this engine into {Folder}{(From.StartsWith("DOCKER_", StringComparison.Ordinal) ? " (or point DOCKER_CERT_PATH at the folder that has them)" : "")}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Verify
        ? $"TLS, engine verified against {CaFile}, client certificate {CertFile}"
        : $"TLS without verifying the engine's certificate ({From}), client certificate {CertFile}";
}
