using System.Reflection;
using System.Runtime.CompilerServices;
using DockScript.Scripting;
using DockScript.Scripting.Repl;

namespace DockScript.Tests;

/// <summary>
/// What a script can name without qualification: the globals and the public types of DockScript's
/// assemblies in the namespaces scripts import. Everything here shows up in the REPL's completion
/// list, so it changes only on purpose: the list is approved in ScriptSurface.approved.txt.
/// </summary>
public sealed class ScriptSurfaceTests
{
    private const string Approved = "ScriptSurface.approved.txt";
    private const string Received = "ScriptSurface.received.txt";

    /// <summary>One line per global member (<c>global Ping</c>) and per visible type (<c>type DockScript.Network</c>), sorted.</summary>
    internal static IReadOnlyList<string> Surface()
    {
        var imports = ScriptHost.Imports.ToHashSet(StringComparer.Ordinal);
        var globals = typeof(ScriptGlobals).GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is PropertyInfo || m is MethodInfo { IsSpecialName: false } && m.DeclaringType != typeof(object))
            .Select(m => $"global {m.Name}");
        // Every assembly a script references that DockScript ships (the BCL's own types are not ours to list).
        var assemblies = new[] { typeof(Lab).Assembly, typeof(ScriptGlobals).Assembly, typeof(Docker.DotNet.DockerClient).Assembly };
        var types = assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Namespace is { } ns && imports.Contains(ns))
            .Select(t => $"type {t.FullName}");
        return globals.Concat(types).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Scripts_see_only_the_approved_types_and_globals()
    {
        var folder = SourceFolder();
        var approvedPath = Path.Combine(folder, Approved);
        var receivedPath = Path.Combine(folder, Received);
        var approved = File.Exists(approvedPath)
            ? File.ReadAllLines(approvedPath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList()
            : [];
        var actual = Surface();

        var added = actual.Except(approved).ToList();
        var removed = approved.Except(actual).ToList();
        if (added.Count == 0 && removed.Count == 0)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllLines(receivedPath, [.. Header, .. actual]);
        Assert.Fail(
            "The types and globals scripts can see changed:\n" +
            string.Join("\n", added.Select(l => "+ " + l).Concat(removed.Select(l => "- " + l))) + "\n" +
            "Public types in the namespaces scripts import are offered to every script and in REPL completion; machinery belongs " +
            "in internal types or a namespace scripts do not import. If the change is intended, accept it with:\n" +
            $"  mv tests/DockScript.Tests/{Received} tests/DockScript.Tests/{Approved}");
    }

    [Theory]
    [InlineData("ScriptHost.Imports", "CS0103")]
    [InlineData("DockScript.Scripting.ScriptHost.Imports", "CS0122")]
    [InlineData("new DockScript.Scripting.ScriptCache(\"/tmp\")", "CS0122")]
    public async Task The_script_host_is_out_of_a_scripts_reach(string expression, string error)
    {
        // Not in scope, and not reachable by its full name either: internal, not merely un-imported.
        var errors = await CheckedScript.ErrorsAsync("surface.csx", $"var x = {expression};\n");

        Assert.Contains($"error {error}:", Assert.Single(errors));
    }

    [Theory]
    [InlineData("Pin", "Ping", "PingResult")]
    [InlineData("Cont", "Containers", "ContainerStats")]
    [InlineData("Scri", null, null)]
    [InlineData("Compi", null, null)]
    [InlineData("DockScript.Scr", null, null)]
    public async Task Completion_offers_the_DSL_and_none_of_the_machinery(string typed, string? global, string? type)
    {
        using var workspace = new SubmissionWorkspace();
        var items = (await new ReplServices(workspace, NoLiveNames.Instance).CompleteAsync(typed, typed.Length)).Select(i => i.DisplayText).ToList();

        if (global is not null)
        {
            Assert.Contains(global, items);
            Assert.Contains(type!, items);
        }
        // Types of namespaces not imported are not offered (EditorHost), and internal ones never were.
        Assert.Empty(items.Intersect(Machinery));
    }

    private static readonly string[] Machinery =
        ["ScriptHost", "ScriptCache", "ScriptSources", "ScriptFile", "CompiledScript", "Preparation", "DockScriptAnalyzers", "CallAnalyzer", "CacheManifest"];

    private static readonly string[] Header =
    [
        "# What a script sees: the globals, and DockScript's public types in the namespaces scripts import.",
        "# Checked by ScriptSurfaceTests; after an intended change, the test writes ScriptSurface.received.txt to move here.",
    ];

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
