using System.Diagnostics;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;

namespace DockScript.IntegrationTests;

/// <summary>
/// The real REPL in a real terminal: a tmux session running <c>dockscript</c>, driven one key at
/// a time (keys sent in one burst would arrive as a paste) and read back from the screen.
/// </summary>
/// <remarks>
/// The pause after each key is pacing, not synchronisation: it makes the keys arrive the way a
/// person types them (one read each), which is the case most tests are about. Nothing waits on
/// it; every test waits for what the screen shows. <see cref="BurstAsync"/> sends keys without it.
/// </remarks>
internal sealed class TmuxRepl : IAsyncDisposable
{
    private static readonly TimeSpan KeyDelay = TimeSpan.FromMilliseconds(25);
    private readonly string session;
    private readonly string prefix;
    private readonly Lab lab;

    private TmuxRepl(string session, string prefix, Lab lab)
    {
        this.session = session;
        this.prefix = prefix;
        this.lab = lab;
    }

    /// <summary>Where the REPL keeps its history in this test.</summary>
    public required string DataHome { get; init; }

    /// <summary>
    /// Starts <c>dockscript</c> (plus <paramref name="args"/>) in a fresh tmux session and waits for
    /// its banner. <paramref name="prefix"/> names what the test creates, so disposal can remove
    /// it should the REPL not have.
    /// </summary>
    public static async Task<TmuxRepl> StartAsync(Lab lab, string prefix, string? dataHome = null, IDictionary<string, string>? env = null, params string[] args)
    {
        dataHome ??= Directory.CreateTempSubdirectory("dockscript-repl-").FullName;
        var session = "rp-" + prefix;
        var vars = new Dictionary<string, string>
        {
            ["DOCKSCRIPT_DNS"] = "127.0.0.1",
            ["XDG_DATA_HOME"] = dataHome,
            ["TERM"] = "xterm-256color",
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            vars[k] = v;
        }
        var dll = Path.Combine(AppContext.BaseDirectory, "dockscript.dll");
        var command = string.Join(" ", vars.Select(kv => $"{kv.Key}={Quote(kv.Value)}"))
            + $" dotnet {Quote(dll)} {string.Join(" ", args.Select(Quote))}; echo \"[repl exited $?]\"; sleep 600";
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "150", "-y", "50", "-c", dataHome, "env " + command);
        var repl = new TmuxRepl(session, prefix, lab) { DataHome = dataHome };
        await repl.WaitForAsync("DockScript REPL", TimeSpan.FromSeconds(30));
        return repl;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>Types <paramref name="text"/> one character at a time.</summary>
    public async Task TypeAsync(string text)
    {
        foreach (var c in text)
        {
            if (c == '\n')
            {
                await KeyAsync("Enter");
                continue;
            }
            // tmux reads a lone ";" as its own command separator.
            await TmuxAsync("send-keys", "-t", session, "-l", c == ';' ? "\\;" : c.ToString());
            await Task.Delay(KeyDelay);
        }
    }

    /// <summary>
    /// Types a line and presses Enter. The last character and the Enter go together, as a fast
    /// typist's do: such an Enter runs the line even when a completion list is open.
    /// </summary>
    public async Task LineAsync(string text)
    {
        await TypeAsync(text[..^1]);
        await BurstAsync(text[^1..], "Enter");
    }

    /// <summary>
    /// Waits until the completion list shows <paramref name="item"/>, asking for it with Ctrl+Space
    /// while the completion service may still be warming up (until then no list opens).
    /// </summary>
    public async Task ListShowsAsync(string item)
    {
        var pattern = ListRow(item);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await WaitForAsync(pattern, TimeSpan.FromSeconds(1));
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 30)
            {
                await KeyAsync("C-Space");
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="keys"/> (literal text, or tmux key names such as Enter) in one tmux
    /// command, so they reach the terminal together: a paste, or a typist faster than the editor.
    /// </summary>
    public async Task BurstAsync(params string[] keys)
    {
        // tmux reads an argument that ends in ";" as a command separator, unless escaped.
        await TmuxAsync(["send-keys", "-t", session, .. keys.Select(k => k.EndsWith(';') ? k[..^1] + "\\;" : k)]);
    }

    /// <summary>The process id of <c>dockscript</c> itself (the pane runs it under a shell).</summary>
    public async Task<int> PidAsync()
    {
        var shell = (await TmuxAsync("display-message", "-p", "-t", session, "#{pane_pid}")).Trim();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var children = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
                .Where(d => d!.All(char.IsDigit))
                .Where(d => File.Exists($"/proc/{d}/stat") && ReadOrEmpty($"/proc/{d}/stat").Split(' ') is { Length: > 3 } f && f[3] == shell
                            && ReadOrEmpty($"/proc/{d}/cmdline").Contains("dockscript.dll", StringComparison.Ordinal))
                .ToList();
            if (children.Count == 1)
            {
                return int.Parse(children[0]!, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"no dockscript process under the pane's shell {shell}");
            }
            await Task.Delay(50);
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Closes the terminal, as closing its window does: the REPL gets SIGHUP and its screen is gone.</summary>
    public Task CloseTerminalAsync() => TmuxAsync("kill-session", "-t", session);

    /// <summary>Presses a key by its tmux name: Enter, C-c, C-d, C-Space, Tab, Escape.</summary>
    public async Task KeyAsync(string key)
    {
        await TmuxAsync("send-keys", "-t", session, key);
        await Task.Delay(KeyDelay);
    }

    /// <summary>The screen and its scroll-back, lines joined where they wrapped.</summary>
    public async Task<string> ScreenAsync() => await TmuxAsync("capture-pane", "-p", "-J", "-S", "-500", "-t", session);

    /// <summary>Waits until the screen shows <paramref name="pattern"/> (a regex) <paramref name="times"/> times; returns the screen.</summary>
    public async Task<string> WaitForAsync(string pattern, TimeSpan? timeout = null, int times = 1)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string screen;
        do
        {
            screen = await ScreenAsync();
            if (Regex.Matches(screen, pattern).Count >= times)
            {
                return screen;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"The REPL did not show /{pattern}/ (x{times}) in time. Screen:\n{screen}");
    }

    /// <summary>Waits until the screen no longer shows <paramref name="pattern"/> (after it did: the caller proved that first).</summary>
    public async Task WaitForGoneAsync(string pattern, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        string screen;
        do
        {
            screen = await ScreenAsync();
            if (!Regex.IsMatch(screen, pattern))
            {
                return;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"The REPL still shows /{pattern}/. Screen:\n{screen}");
    }

    /// <summary>The pattern of a completion-list row showing <paramref name="item"/>.</summary>
    public static string ListRow(string item) => $@"│>?\s*{Regex.Escape(item)}(?!\w)";

    /// <summary>Waits for an empty prompt: the submission before it has finished.</summary>
    public Task<string> IdleAsync(TimeSpan? timeout = null) => WaitForAsync(@"(?m)^>\s*$", timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Leaves the REPL with Ctrl+D and waits for the process to end; returns the screen.</summary>
    public async Task<string> ExitAsync()
    {
        await KeyAsync("C-d");
        try
        {
            return await WaitForAsync(@"\[repl exited \d+\]", TimeSpan.FromSeconds(10));
        }
        catch (Xunit.Sdk.XunitException)
        {
            // Under load a Ctrl+D sent while the prompt was still being drawn can be lost; at an
            // empty prompt a second one means the same thing.
            await KeyAsync("C-d");
            return await WaitForAsync(@"\[repl exited \d+\]", TimeSpan.FromSeconds(50));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Regex.IsMatch(await ScreenAsync(), @"\[repl exited \d+\]"))
            {
                await KeyAsync("C-c");
                await KeyAsync("C-d");
                await WaitForAsync(@"\[repl exited \d+\]", TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception)
        {
            // Fall through to the kill and the name-based sweep.
        }
        await TmuxAsync("kill-session", "-t", session);
        // Belt and braces: a failed test must not leave its containers to the other engineers' engine.
        var leftovers = await lab.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true });
        foreach (var c in leftovers.Where(c => LabLabels.IsManaged(c.Labels!.AsReadOnly()) && c.Names!.Any(n => n.TrimStart('/').StartsWith(prefix, StringComparison.Ordinal))))
        {
            await lab.Docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        }
        var networks = await lab.Docker.Networks.ListNetworksAsync();
        foreach (var n in networks.Where(n => LabLabels.IsManaged(n.Labels!.AsReadOnly()) && n.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            await lab.Docker.Networks.DeleteNetworkAsync(n.ID);
        }
    }

    /// <summary>A unique name prefix for what a REPL test creates: the run's prefix and the test's.</summary>
    public static string Prefix(EngineFixture fx, string test) => $"{fx.Run}-{Math.Abs(StringComparer.Ordinal.GetHashCode(test)) % 100000}";

    /// <summary>Runs tmux with <paramref name="args"/>; returns what it printed.</summary>
    internal static async Task<string> TmuxAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return stdout;
    }
}
