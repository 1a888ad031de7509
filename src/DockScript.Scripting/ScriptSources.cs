using System.Text;
using DockScript.Scripting.Packages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Scripting;

/// <summary>One file of a script: the main file or one it <c>#load</c>s.</summary>
/// <param name="FullPath">The absolute path.</param>
/// <param name="Text">The text as compiled (a shebang line is turned into a comment).</param>
internal sealed record ScriptFile(string FullPath, string Text);

/// <summary>
/// Every source of a script, read once: the main file and, recursively, what it <c>#load</c>s, plus
/// the files it <c>#r</c>eferences. The compiler, the cache key and error locations all use this
/// one reading, so what is hashed is exactly what is compiled.
/// </summary>
internal sealed class ScriptSources
{
    private readonly Dictionary<string, ScriptFile> byPath;

    private ScriptSources(string path, IReadOnlyList<ScriptFile> files, IReadOnlyList<string> references, IReadOnlyList<string> problems, PackageSet packages)
    {
        Packages = packages;
        Path = path;
        Files = files;
        References = references;
        Problems = problems;
        byPath = files.ToDictionary(f => f.FullPath, StringComparer.Ordinal);
    }

    /// <summary>The main script as the user named it.</summary>
    public string Path { get; }

    /// <summary>The main script's absolute path.</summary>
    public string FullPath => Files[0].FullPath;

    /// <summary>The main file first, then every <c>#load</c>ed file in the order they are first loaded.</summary>
    public IReadOnlyList<ScriptFile> Files { get; }

    /// <summary>Absolute paths of the existing files named by <c>#r "…"</c> directives.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>
    /// <c>#load</c> problems found while reading (a missing file, a cycle, a file that is not UTF-8),
    /// formatted like compiler diagnostics; a script with problems is not compiled.
    /// </summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The packages named by <c>#r "nuget: …"</c> in any of the files, restored, with their dependencies.</summary>
    internal PackageSet Packages { get; }

    /// <summary>True when <paramref name="fullPath"/> is one of this script's files.</summary>
    public bool Contains(string fullPath) => byPath.ContainsKey(fullPath);

    /// <summary>How to name a file in messages: the main file as the user typed it, others relative to the working directory.</summary>
    public string Display(string fullPath) => Display(Path, FullPath, fullPath);

    private static string Display(string mainPath, string mainFullPath, string fullPath)
    {
        if (fullPath == mainFullPath)
        {
            return mainPath;
        }
        var relative = System.IO.Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative) ? fullPath : relative;
    }

    /// <summary>
    /// Reads a script and everything it loads. Problems with the main file throw (they are usage
    /// errors); problems with loaded files are collected in <see cref="Problems"/>.
    /// </summary>
    /// <exception cref="DockScriptException">The main file is missing, a directory, unreadable or not UTF-8.</exception>
    public static ScriptSources Read(string path, string? source = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        var main = new ScriptFile(full, WithoutShebang(source ?? ReadText(path)));
        var files = new List<ScriptFile> { main };
        var references = new List<string>();
        var problems = new List<string>();
        var packages = new List<PackageRequest>();
        Visit(main, [full], files, references, packages, problems, f => Display(path, full, f));
        // Restored before anything compiles or runs: a package that cannot be had is a problem at its #r line.
        var restored = problems.Count == 0 ? PackageRestore.Default.Restore(packages, System.IO.Path.GetDirectoryName(full)!, problems) : PackageSet.Empty;
        return new ScriptSources(path, files, references, problems, restored);
    }

    /// <summary>Reads one script file as UTF-8 text (the REPL's <c>#load</c> too), failing with one sentence when it is missing or unreadable.</summary>
    /// <exception cref="DockScriptException">The file cannot be read.</exception>
    public static string ReadText(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DockScriptException($"'{path}' is a directory; give the path of a .csx script file.");
        }
        if (!File.Exists(path))
        {
            throw new DockScriptException($"Script '{path}' does not exist; check the path (it is relative to {Environment.CurrentDirectory}).");
        }
        try
        {
            // Decode strictly and by hand: ReadAllText would follow a UTF-16 byte-order mark instead of failing.
            var bytes = File.ReadAllBytes(path);
            var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new DockScriptException($"Script '{path}' is not valid UTF-8 text; save it as UTF-8.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockScriptException($"Script '{path}' cannot be read: {e.Message}");
        }
    }

    private static void Visit(ScriptFile file, List<string> stack, List<ScriptFile> files, List<string> references, List<PackageRequest> packages, List<string> problems, Func<string, string> display)
    {
        var root = Parse(file).GetCompilationUnitRoot();
        var directory = System.IO.Path.GetDirectoryName(file.FullPath)!;
        foreach (var r in root.GetReferenceDirectives())
        {
            var name = r.File.ValueText;
            if (PackageRequest.IsPackage(name))
            {
                packages.Add(PackageRequest.Read(name, Where(file, r.GetLocation(), display))); // checked when restored
                continue;
            }
            if (name.Contains(':', StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(name))
            {
                continue; // "nuget:…" and the like: Roslyn reports what it cannot resolve.
            }
            var target = System.IO.Path.GetFullPath(name, directory);
            if (File.Exists(target) && !references.Contains(target))
            {
                references.Add(target);
            }
        }
        foreach (var load in root.GetLoadDirectives())
        {
            var name = load.File.ValueText;
            var where = Where(file, load.GetLocation(), display);
            if (name.Length == 0)
            {
                continue; // Roslyn reports the empty #load itself.
            }
            var target = System.IO.Path.GetFullPath(name, directory);
            var onStack = stack.IndexOf(target);
            if (onStack >= 0)
            {
                var through = stack.Skip(onStack + 1).Select(display).ToList();
                problems.Add(through.Count == 0
                    ? $"{where}: error DS0101: {display(target)} loads itself; remove this #load."
                    : $"{where}: error DS0101: {display(target)} loads itself through {string.Join(" and ", through)}; remove one of these #load lines.");
                continue;
            }
            if (files.Any(f => f.FullPath == target))
            {
                continue; // Loaded before by another file: Roslyn loads each file once.
            }
            string text;
            try
            {
                if (Directory.Exists(target))
                {
                    throw new DockScriptException($"#load \"{name}\" names a directory ({target}); name a .csx file.");
                }
                if (!File.Exists(target))
                {
                    throw new DockScriptException($"#load \"{name}\" names a file that does not exist ({target}); check the path, which is relative to the loading file.");
                }
                text = WithoutShebang(ReadText(target));
            }
            catch (DockScriptException e)
            {
                problems.Add($"{where}: error DS0100: {e.Message}");
                continue;
            }
            var loaded = new ScriptFile(target, text);
            files.Add(loaded);
            stack.Add(target);
            Visit(loaded, stack, files, references, packages, problems, display);
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private static string Where(ScriptFile file, Location location, Func<string, string> display)
    {
        var span = location.GetLineSpan();
        return $"{display(file.FullPath)}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}";
    }

    private static SyntaxTree Parse(ScriptFile file) =>
        CSharpSyntaxTree.ParseText(file.Text, new CSharpParseOptions(kind: SourceCodeKind.Script), file.FullPath);

    /// <summary>A shebang line is for the shell, not for C#: it becomes a comment, so line numbers stay.</summary>
    internal static string WithoutShebang(string text) =>
        text.StartsWith("#!", StringComparison.Ordinal) ? "//" + text[2..] : text;

    /// <summary>The resolver Roslyn uses for <c>#load</c>: it serves the texts read here, never the disk again.</summary>
    internal SourceReferenceResolver Resolver => new LoadedFiles(this);

    private sealed class LoadedFiles(ScriptSources sources) : SourceReferenceResolver
    {
        public override bool Equals(object? other) => other is LoadedFiles o && ReferenceEquals(o.Sources, Sources);

        public override int GetHashCode() => Sources.GetHashCode();

        private ScriptSources Sources { get; } = sources;

        public override string? NormalizePath(string path, string? baseFilePath) => Resolve(path, baseFilePath);

        public override string? ResolveReference(string path, string? baseFilePath) => Resolve(path, baseFilePath);

        private string? Resolve(string path, string? baseFilePath)
        {
            var directory = baseFilePath is null ? System.IO.Path.GetDirectoryName(Sources.FullPath)! : System.IO.Path.GetDirectoryName(baseFilePath)!;
            var full = System.IO.Path.GetFullPath(path, directory);
            return Sources.Contains(full) ? full : null;
        }

        public override Stream OpenRead(string resolvedPath) =>
            new MemoryStream(Encoding.UTF8.GetBytes(Sources.byPath[resolvedPath].Text), writable: false);

        public override SourceText ReadText(string resolvedPath) =>
            SourceText.From(Sources.byPath[resolvedPath].Text, Encoding.UTF8);
    }
}
