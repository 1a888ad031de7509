using DockScript.Scripting;

namespace DockScript.Tests;

/// <summary>Scripts through the entry points <c>dockscript check</c> and <c>run</c> use, for tests that only need the verdict.</summary>
internal static class CheckedScript
{
    /// <summary>The errors <c>dockscript check</c> would print for <paramref name="source"/> saved at <paramref name="path"/>.</summary>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(string path, string source) =>
        (await ScriptHost.CheckAsync(ScriptSources.Read(path, source))).Errors;
}
