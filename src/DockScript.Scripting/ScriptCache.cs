using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DockScript.Scripting;

/// <summary>
/// Compiled scripts on disk, so that running an unchanged script skips Roslyn entirely. An entry
/// is <c>&lt;key&gt;.dll</c>, <c>&lt;key&gt;.pdb</c> (line numbers in runtime errors) and
/// <c>&lt;key&gt;.json</c> (entry point, warnings, references), written last: an entry without a
/// readable manifest does not exist. Every failure here is a miss, never an error.
/// The entries are code that runs as the user, so a folder that someone else could write to is
/// refused (<see cref="Open"/>): the run goes on without the cache.
/// </summary>
internal sealed class ScriptCache(string directory)
{
    /// <summary>Where entries live.</summary>
    public string Directory { get; } = directory;

    /// <summary><c>$XDG_CACHE_HOME/dockscript</c>, else <c>~/.cache/dockscript</c>.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? Path.Combine(xdg, "dockscript")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dockscript");

    /// <summary>
    /// The cache in <paramref name="directory"/>, or null with the <paramref name="refusal"/>
    /// sentence when the folder is not the user's own: someone who can write there could put code
    /// in an entry that the next run would execute.
    /// </summary>
    /// <example><code>var cache = ScriptCache.Open(ScriptCache.DefaultDirectory, out var refusal);</code></example>
    public static ScriptCache? Open(string directory, out string? refusal)
    {
        refusal = Refusal(directory, CurrentUser());
        return refusal is null ? new ScriptCache(directory) : null;
    }

    /// <summary>Why <paramref name="directory"/> may not hold compiled scripts of user <paramref name="uid"/>, or null when it may (or does not exist yet).</summary>
    internal static string? Refusal(string directory, uint uid)
    {
        if (OperatingSystem.IsWindows() || !System.IO.Directory.Exists(directory) || OwnerOf(directory) is not { } owner)
        {
            return null; // Created by TryWrite, for the user alone (and Windows has no such modes).
        }
        if (owner != uid)
        {
            return $"The script cache {directory} belongs to another user (uid {owner}), who could put code in it; running without the cache (remove that folder, or set XDG_CACHE_HOME to a folder of your own).";
        }
        var mode = File.GetUnixFileMode(directory);
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            return $"The script cache {directory} can be written by {((mode & UnixFileMode.OtherWrite) != 0 ? "everyone" : "its group")} (mode {Convert.ToString((int)mode, 8)}), who could put code in it; running without the cache (chmod go-w {directory}).";
        }
        return null;
    }

    /// <summary>The effective user id of this process.</summary>
    internal static uint CurrentUser() => geteuid();

    private static uint? OwnerOf(string path)
    {
        // statx(2) gives the owner, which .NET does not; its layout is the same on every Linux
        // architecture: stx_uid is the u32 (native byte order) at offset 20.
        var buffer = new byte[256];
        const int currentDirectory = -100; // AT_FDCWD
        const uint wantOwner = 0x0008;     // STATX_UID
        return statx(currentDirectory, path, 0, wantOwner, buffer) == 0
            ? BitConverter.ToUInt32(buffer, 20)
            : null;
    }

    // DllImport rather than LibraryImport: the generated stubs would need unsafe code for a path and a buffer.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint geteuid();

    /// <summary>
    /// The cache key of a script: SHA-256 over every source (main and <c>#load</c>ed, with their
    /// paths, since paths end up in error messages), every <c>#r</c>eferenced file, the DockScript
    /// build and the runtime. Any change to any of them is a different key.
    /// </summary>
    public static string KeyFor(ScriptSources sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        Add("dockscript-script-cache/1");
        Add(LabInfo.Version);
        Add(typeof(ScriptCache).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "");
        // A rebuilt DockScript (new imports, new globals) must not run scripts compiled against the old one.
        Add(typeof(ScriptCache).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(typeof(Lab).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(RuntimeInformation.FrameworkDescription);
        Add(RuntimeInformation.RuntimeIdentifier);
        foreach (var file in sources.Files)
        {
            Add(file.FullPath);
            Add(file.Text);
        }
        foreach (var reference in sources.References)
        {
            Add(reference);
            try
            {
                hash.AppendData(File.ReadAllBytes(reference));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Add("unreadable");
            }
            hash.AppendData([0]);
        }
        sources.Packages.AddTo(hash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The entry for <paramref name="key"/>, or null when there is none or it cannot be read.</summary>
    internal CacheEntry? TryRead(string key)
    {
        try
        {
            var manifestPath = PathOf(key, ".json");
            if (!File.Exists(manifestPath))
            {
                return null;
            }
            var manifest = JsonSerializer.Deserialize<CacheManifest>(File.ReadAllBytes(manifestPath));
            if (manifest is null || manifest.Format != CacheManifest.CurrentFormat || manifest.EntryType.Length == 0)
            {
                return null;
            }
            return new CacheEntry(File.ReadAllBytes(PathOf(key, ".dll")), File.ReadAllBytes(PathOf(key, ".pdb")), manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Stores an entry, atomically per file and manifest last; returns false (and leaves no manifest) when it cannot.</summary>
    internal bool TryWrite(string key, CacheEntry entry)
    {
        try
        {
            // Only the user may write where code is kept (umask may take more away, never add).
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            // A stale manifest must not point at the new dll while it is being replaced.
            File.Delete(PathOf(key, ".json"));
            WriteAtomically(PathOf(key, ".dll"), entry.Assembly);
            WriteAtomically(PathOf(key, ".pdb"), entry.Symbols);
            WriteAtomically(PathOf(key, ".json"), JsonSerializer.SerializeToUtf8Bytes(entry.Manifest));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string PathOf(string key, string extension) => Path.Combine(Directory, key + extension);

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

/// <summary>A compiled script as stored: assembly, portable PDB and manifest.</summary>
internal sealed record CacheEntry(byte[] Assembly, byte[] Symbols, CacheManifest Manifest);

/// <summary>What is needed to run a cached assembly without the compilation that made it.</summary>
/// <param name="EntryType">Metadata name of the type holding the script's entry point (<c>Submission#0</c>).</param>
/// <param name="EntryMethod">Metadata name of the entry point (<c>&lt;Factory&gt;</c>).</param>
/// <param name="Warnings">Compile and analyzer warnings, shown again on every run.</param>
/// <param name="References">Absolute paths of <c>#r</c> assemblies, loaded on demand.</param>
/// <param name="Format">Changes when the layout of an entry does.</param>
internal sealed record CacheManifest(string EntryType, string EntryMethod, IReadOnlyList<string> Warnings, IReadOnlyList<string> References, string Format = CacheManifest.CurrentFormat)
{
    public const string CurrentFormat = "1";
}
