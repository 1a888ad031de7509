using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DockScript;

/// <summary>
/// The docker CLI's context store, read as the CLI reads it: the current context is
/// <c>currentContext</c> in <c>config.json</c>; a context lives in
/// <c>contexts/meta/&lt;sha256(name)&gt;/meta.json</c> (<c>Endpoints.docker.Host</c>,
/// <c>SkipTLSVerify</c>) with its TLS files in <c>contexts/tls/&lt;sha256(name)&gt;/docker/</c>.
/// </summary>
internal static class DockerContexts
{
    /// <summary>The context every CLI has: the local socket (or DOCKER_HOST, which wins before contexts are read).</summary>
    public const string DefaultName = "default";

    /// <summary>The current context named in config.json; null when there is none (or it is <c>default</c>).</summary>
    /// <exception cref="DockScriptException">config.json is not JSON.</exception>
    public static string? Current(CliEnvironment env)
    {
        var config = Path.Combine(env.ConfigFolder, "config.json");
        if (!File.Exists(config))
        {
            return null;
        }
        using var doc = ReadJson(env, config, "the docker CLI's configuration");
        return doc.RootElement.ValueKind == JsonValueKind.Object
               && doc.RootElement.TryGetProperty("currentContext", out var name)
               && name.ValueKind == JsonValueKind.String
               && name.GetString() is { Length: > 0 } text && text != DefaultName
            ? text
            : null;
    }

    /// <summary>The endpoint of context <paramref name="name"/>; <paramref name="from"/> says who named it.</summary>
    /// <exception cref="DockScriptException">The context is not in the store, has no docker endpoint, or its TLS files are unusable.</exception>
    public static DockerEndpoint Load(CliEnvironment env, string name, string from)
    {
        if (name == DefaultName)
        {
            return DockerEndpoint.Default with { Source = $"context default ({from})", Context = DefaultName };
        }
        var id = Id(name);
        var meta = Path.Combine(env.ConfigFolder, "contexts", "meta", id, "meta.json");
        if (!File.Exists(meta))
        {
            throw new DockScriptException(
                $"{from} names the docker context '{name}', which is not in {env.Show(Path.Combine(env.ConfigFolder, "contexts"))}; create it with 'docker context create {name} --docker host=…', or pick one that 'docker context ls' lists.");
        }
        using var doc = ReadJson(env, meta, $"the docker context '{name}'");
        if (!(doc.RootElement.ValueKind == JsonValueKind.Object
              && doc.RootElement.TryGetProperty("Endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object
              && endpoints.TryGetProperty("docker", out var docker) && docker.ValueKind == JsonValueKind.Object))
        {
            throw new DockScriptException(
                $"The docker context '{name}' ({env.Show(meta)}) has no docker endpoint; set one with 'docker context update {name} --docker host=…'.");
        }
        var host = docker.TryGetProperty("Host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        var skipVerify = docker.TryGetProperty("SkipTLSVerify", out var s) && s.ValueKind == JsonValueKind.True;
        var tlsFolder = Path.Combine(env.ConfigFolder, "contexts", "tls", id, "docker");
        var hasTls = skipVerify || (Directory.Exists(tlsFolder) && Directory.EnumerateFiles(tlsFolder, "*.pem").Any());
        var source = $"context {name} ({from})";
        var endpoint = DockerEndpoint.Parse(host, $"The docker context '{name}' has host", hasTls)
                       ?? throw new DockScriptException($"The docker context '{name}' ({env.Show(meta)}) has no engine address; set one with 'docker context update {name} --docker host=tcp://…'.");
        return endpoint with
        {
            Source = source,
            Context = name,
            Tls = hasTls && !endpoint.IsLocal ? new EngineTls(tlsFolder, !skipVerify, $"The docker context '{name}'") : null,
        };
    }

    /// <summary>The folder name the CLI gives a context: the hex SHA-256 of its name.</summary>
    public static string Id(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static JsonDocument ReadJson(CliEnvironment env, string path, string what)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new DockScriptException($"Cannot read {what} in {env.Show(path)} ({e.Message.TrimEnd('.')}); fix the file, or set DOCKER_HOST to bypass it.", e);
        }
    }
}
