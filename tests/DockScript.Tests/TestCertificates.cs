using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DockScript.Tests;

/// <summary>
/// A CA of its own and a client certificate it signed, written as the docker CLI wants them
/// (ca.pem, cert.pem, key.pem). Valid PEM, but no engine trusts this CA: for "wrong certificate" cases.
/// </summary>
internal static class TestCertificates
{
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=tls-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=tls-test-client", clientKey, HashAlgorithmName.SHA256);
        using var client = clientRequest.Create(ca, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "cert.pem"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), clientKey.ExportPkcs8PrivateKeyPem());
    }
}
