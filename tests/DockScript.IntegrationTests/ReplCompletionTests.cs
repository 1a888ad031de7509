namespace DockScript.IntegrationTests;

/// <summary>
/// Completion as a newcomer meets it (issue 16): the list opens by itself where a live name, a
/// file or a meta-command goes, and Tab completes. Through tmux, on the real engine; no test
/// here presses Ctrl+Space.
/// </summary>
public sealed class ReplCompletionTests(EngineFixture fx) : EngineTest(fx)
{
    private string Prefix([System.Runtime.CompilerServices.CallerMemberName] string test = "") => TmuxRepl.Prefix(Fx, test);

    [Fact]
    public async Task The_list_of_live_names_opens_at_the_quote_of_every_site_and_filters_as_you_type()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        await repl.LineAsync($"var a = Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-alpha\", command: \"sleep 3600\");");
        await repl.IdleAsync();
        var networkSites = new[]
        {
            "Networks[\"",
            "Containers.Run(\"dockscript/toolbox\", network: \"",
        };
        foreach (var site in networkSites)
        {
            await OpensAtTheQuoteAsync(repl, site, "bri", "bridge");
        }
        var containerSites = new[]
        {
            "Containers[\"",
            "Containers.Run(\"dockscript/toolbox\", links: new[] { \"",
            "Ping(\"",
            "Ping(a, \"",
            "Resolve(a, \"",
            "Reachability(a, \"",
            "Masquerade(\"",
        };
        foreach (var site in containerSites)
        {
            await OpensAtTheQuoteAsync(repl, site, $"{prefix}-al", $"{prefix}-alpha");
        }
        // In Curl's URL the names come as URLs.
        await OpensAtTheQuoteAsync(repl, "Curl(a, \"", $"http://{prefix}-al", $"http://{prefix}-alpha/");
    }

    /// <summary>Types the site up to its quote (the list must open), then a few letters (it must show the name), then clears the line.</summary>
    private static async Task OpensAtTheQuoteAsync(TmuxRepl repl, string site, string typed, string item)
    {
        await repl.TypeAsync(site);
        // The list is open at the quote: some row is drawn under the line.
        await repl.WaitForAsync(@"│>\s*\S");
        await repl.TypeAsync(typed);
        await repl.WaitForAsync(@"│>\s*" + System.Text.RegularExpressions.Regex.Escape(item));
        await ClearLineAsync(repl);
    }

    /// <summary>Ctrl+C clears the line and its list; pressed again should the first come while the list was still being drawn.</summary>
    private static async Task ClearLineAsync(TmuxRepl repl)
    {
        for (var attempt = 0; ; attempt++)
        {
            await repl.KeyAsync("C-c");
            try
            {
                await repl.WaitForGoneAsync(@"│>", TimeSpan.FromSeconds(3));
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 5)
            {
            }
        }
    }

    [Fact]
    public async Task Meta_commands_are_listed_at_the_hash_and_run_with_Enter()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        await repl.TypeAsync("#");
        await repl.WaitForAsync(TmuxRepl.ListRow("help"));
        await repl.WaitForAsync(TmuxRepl.ListRow("exit"));
        await repl.TypeAsync("he");
        await repl.KeyAsync("Tab");
        await repl.WaitForAsync(@"(?m)^> #help\s*$");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync(@"command\s+what it does");
    }

    [Fact]
    public async Task Load_lists_script_files_as_the_path_is_typed()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        // The REPL runs in its data folder, so paths are relative to it.
        Directory.CreateDirectory(Path.Combine(repl.DataHome, "labs"));
        await File.WriteAllTextAsync(Path.Combine(repl.DataHome, "labs", "setup.csx"), "Console.WriteLine(\"setup loaded\");\n");
        await repl.TypeAsync("#load \"");
        await repl.WaitForAsync(TmuxRepl.ListRow("labs/"));
        await repl.TypeAsync("l");
        await repl.KeyAsync("Tab");
        await repl.WaitForAsync(@"(?m)^> #load ""labs/\s*$");
        await repl.TypeAsync("s");
        await repl.WaitForAsync(TmuxRepl.ListRow("setup.csx"));
        await repl.KeyAsync("Tab");
        await repl.WaitForAsync(@"(?m)^> #load ""labs/setup\.csx\s*$");
        await repl.TypeAsync("\"");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync("(?m)^setup loaded$");
    }

    [Fact]
    public async Task Tab_takes_the_item_completes_a_word_opens_the_list_or_indents()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        await repl.LineAsync("40 + 2");
        await repl.WaitForAsync("(?m)^42$");

        // A list is open: Tab takes its item.
        await repl.TypeAsync("\"abc\".Len");
        // (Ctrl+Space only while the completion service may still be warming up behind the prompt.)
        await repl.ListShowsAsync("Length");
        await repl.KeyAsync("Tab");
        await repl.WaitForAsync(@"(?m)^> ""abc""\.Length\s*$");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync("(?m)^3$");

        // No list, one item fits the word: Tab completes it at once.
        await repl.TypeAsync("\"abcde\".Leng");
        await CloseListAsync(repl, "Length");
        await repl.KeyAsync("Tab");
        await repl.WaitForAsync(@"(?m)^> ""abcde""\.Length\s*$");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync("(?m)^5$");

        // No list, several fit: Tab opens the list.
        await repl.TypeAsync("\"abc\".ToU");
        await CloseListAsync(repl, "ToUpper");
        await repl.KeyAsync("Tab");
        await repl.WaitForAsync(TmuxRepl.ListRow("ToUpperInvariant"));
        await ClearLineAsync(repl);

        // At the start of a line (and after a space), Tab indents.
        await repl.KeyAsync("Tab");
        await repl.TypeAsync("1 + ");
        await repl.KeyAsync("Tab");
        await repl.TypeAsync("1");
        await repl.WaitForAsync(@"(?m)^>     1 \+     1\s*$");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync("(?m)^2$");
    }

    /// <summary>Waits for the list that typing opened (it shows <paramref name="item"/>), closes it, and waits until it is gone.</summary>
    private static async Task CloseListAsync(TmuxRepl repl, string item)
    {
        await repl.WaitForAsync(TmuxRepl.ListRow(item));
        await repl.KeyAsync("Escape");
        await repl.WaitForGoneAsync(@"│>");
    }
}
