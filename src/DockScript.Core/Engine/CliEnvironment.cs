namespace DockScript;

/// <summary>
/// What the docker CLI reads to find its engine: the environment variables and the user's home.
/// A value, so endpoint resolution can be tested against a temporary home without touching the
/// process's own environment.
/// </summary>
/// <param name="Variables">Environment variables by name; a missing or empty one is unset.</param>
/// <param name="Home">The user's home folder, under which <c>.docker</c> lives.</param>
internal sealed record CliEnvironment(IReadOnlyDictionary<string, string> Variables, string Home)
{
    /// <summary>This process's environment and home.</summary>
    public static CliEnvironment Current
    {
        get
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            {
                variables[(string)e.Key] = e.Value as string ?? "";
            }
            return new CliEnvironment(variables, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        }
    }

    /// <summary>The variable's value; null when it is unset or blank (the CLI treats both alike).</summary>
    public string? this[string name] => Variables.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>The CLI's configuration folder: <c>DOCKER_CONFIG</c>, else <c>~/.docker</c>.</summary>
    public string ConfigFolder => this["DOCKER_CONFIG"] ?? Path.Combine(Home, ".docker");

    /// <summary>Shortens a path under the home folder to <c>~/…</c> for messages.</summary>
    public string Show(string path) =>
        Home.Length > 1 && path.StartsWith(Home.TrimEnd('/') + "/", StringComparison.Ordinal) ? "~" + path[Home.TrimEnd('/').Length..] : path;
}
