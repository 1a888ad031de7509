namespace DockScript.IntegrationTests;

/// <summary>
/// The REPL end to end: the real binary in tmux, typed at one key at a time, on the real engine.
/// Every container is named with this test's own prefix.
/// </summary>
public sealed class ReplTests(EngineFixture fx) : EngineTest(fx)
{
    private string Prefix([System.Runtime.CompilerServices.CallerMemberName] string test = "") => TmuxRepl.Prefix(Fx, test);

    [Fact]
    public async Task A_live_container_name_completes_inside_the_indexer()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        await repl.LineAsync($"var a = Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-alpha\", command: \"sleep 3600\");");
        await repl.IdleAsync();
        await repl.TypeAsync($"Containers[\"{prefix}-al");
        await repl.ListShowsAsync($"{prefix}-alpha");
        await repl.WaitForAsync($"{prefix}-alpha.*running");
        await repl.KeyAsync("Tab");
        await repl.TypeAsync("\"].Name");
        // The editor has taken every key once the line shows them all.
        await repl.WaitForAsync($@"> Containers\[""{prefix}-alpha""\]\.Name");
        await repl.KeyAsync("Escape");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync($"^\"{prefix}-alpha\"$".Replace("^", "(?m)^"));
        var screen = await repl.ExitAsync();
        Assert.Contains($"removed 1 container ({prefix}-alpha)", screen);
        Assert.False(await Containers.ListAsync(all: true).ContinueWith(t => t.Result.Any(c => c.Name == $"{prefix}-alpha")));
    }

    [Fact]
    public async Task Without_a_terminal_the_REPL_says_so_in_one_sentence()
    {
        var (code, stdout, stderr) = await CliTests.DockscriptAsync(null);
        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        Assert.Contains("the REPL needs a terminal", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Networks_render_as_a_table()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        await repl.LineAsync("Networks");
        await repl.WaitForAsync(@"NETWORK ID\s+NAME\s+DRIVER");
        // The table is written row by row: the prompt after it says it is complete.
        var screen = await repl.IdleAsync();
        Assert.Matches(@"\s[0-9a-f]{12}\s+bridge\s+bridge\s+local\s+\d+\.\d+\.\d+\.\d+/\d+", screen);
        Assert.Matches(@"\s[0-9a-f]{12}\s+none\s+null\s+local", screen);
    }

    [Fact]
    public async Task Enter_takes_a_partial_word_from_the_list_but_runs_a_word_typed_in_full()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        // The first answer means the completion service is warm, so the list opens after a dot.
        await repl.LineAsync("40 + 2");
        await repl.WaitForAsync("(?m)^42$");
        await repl.TypeAsync("\"abc\".Len");
        await repl.ListShowsAsync("Length");
        await repl.KeyAsync("Enter");
        // The Enter is spent once the item is taken: it cannot also have run the line.
        await repl.WaitForAsync(@"(?m)^> ""abc""\.Length\s*$");
        Assert.DoesNotMatch(@"(?m)^3$", await repl.ScreenAsync());
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync(@"(?m)^3$");

        await repl.TypeAsync("\"abcd\".Length");
        await repl.ListShowsAsync("Length");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync(@"(?m)^4$");
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_running_submission_and_keeps_the_session()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        await repl.LineAsync($"var a = Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-a\", command: \"sleep 3600\");");
        await repl.IdleAsync();
        await repl.LineAsync($"var b = Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-b\", command: \"sleep 3600\");");
        await repl.WaitForAsync(@"(?m)^>\s*$", TimeSpan.FromSeconds(60));
        await repl.LineAsync("Console.WriteLine(\"pinging\"); Ping(a, b, count: 100)");
        await repl.WaitForAsync("(?m)^pinging$");
        await repl.KeyAsync("C-c");
        // 100 echoes take 10 s: an answer within 5 s means the ping was cancelled, not waited out.
        await repl.WaitForAsync("(?m)^cancelled$", TimeSpan.FromSeconds(5));
        // The session, its variables and its containers are all still there.
        await repl.LineAsync("Ping(a, b, count: 1).Received");
        await repl.WaitForAsync("(?m)^1$");
        await repl.LineAsync("a.Exec(\"echo still-here\").Stdout");
        await repl.WaitForAsync("\"still-here\\\\n\"");
    }

    [Fact]
    public async Task Saved_session_replays_with_dockscript_run()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        var file = Path.Combine(repl.DataHome, "session.csx");
        await repl.LineAsync($"var net = Networks.Create(\"{prefix}-net\", subnet: \"10.201.{Random.Shared.Next(0, 250)}.0/24\");");
        await repl.IdleAsync();
        await repl.LineAsync("net.Name.ToUpperInvariant()");
        await repl.WaitForAsync($"\"{prefix.ToUpperInvariant()}-NET\"");
        await repl.LineAsync("undefinedThing + 1");
        await repl.WaitForAsync(@"\(1,1\): error CS0103: The name 'undefinedThing' does not exist");
        await repl.LineAsync($"#save {file}");
        await repl.WaitForAsync("saved 2 submissions");
        await repl.ExitAsync();

        var saved = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("undefinedThing", saved);
        var (code, stdout, stderr) = await CliTests.DockscriptAsync(null, "run", file);
        Assert.True(code == 0, stderr);
        Assert.Equal($"{prefix.ToUpperInvariant()}-NET\n", stdout);
    }

    [Fact]
    public async Task History_survives_a_restart()
    {
        var prefix = Prefix();
        var data = Directory.CreateTempSubdirectory("dockscript-repl-").FullName;
        await using (var first = await TmuxRepl.StartAsync(Lab, prefix, data))
        {
            await first.LineAsync("40 + 2");
            await first.WaitForAsync("(?m)^42$");
            await first.ExitAsync();
        }
        Assert.True(File.Exists(Path.Combine(data, "dockscript", "history")));
        await using var second = await TmuxRepl.StartAsync(Lab, prefix, data);
        await second.KeyAsync("Up");
        await second.KeyAsync("Enter");
        await second.WaitForAsync("(?m)^42$");
    }

    [Fact]
    public async Task Exit_removes_the_session_containers_and_keep_leaves_them()
    {
        var prefix = Prefix();
        await using (var repl = await TmuxRepl.StartAsync(Lab, prefix))
        {
            await repl.LineAsync($"Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-gone\", command: \"sleep 3600\").Name");
            await repl.WaitForAsync($"(?m)^\"{prefix}-gone\"$", TimeSpan.FromSeconds(60));
            var screen = await repl.ExitAsync();
            Assert.Contains($"removed 1 container ({prefix}-gone)", screen);
        }
        Assert.DoesNotContain(await Containers.ListAsync(all: true), c => c.Name == $"{prefix}-gone");

        await using (var repl = await TmuxRepl.StartAsync(Lab, prefix, args: "--keep"))
        {
            await repl.LineAsync($"Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-kept\", command: \"sleep 3600\").Name");
            await repl.WaitForAsync($"(?m)^\"{prefix}-kept\"$", TimeSpan.FromSeconds(60));
            var screen = await repl.ExitAsync();
            Assert.Contains("--keep", screen);
            Assert.Contains(await Containers.ListAsync(all: true), c => c.Name == $"{prefix}-kept");
        }
        // The driver's sweep removed it.
        Assert.DoesNotContain(await Containers.ListAsync(all: true), c => c.Name == $"{prefix}-kept");
    }

    [Fact]
    public async Task Bad_input_gets_one_sentence_and_the_REPL_carries_on()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        await repl.LineAsync("var x = ;");
        await repl.WaitForAsync(@"\(1,9\): error CS1525");
        await repl.LineAsync("#frobnicate");
        await repl.WaitForAsync(@"Unknown command '#frobnicate'; #help lists the commands");
        await repl.LineAsync("#load /tmp/dockscript-no-such-file.csx");
        await repl.WaitForAsync(@"Script '/tmp/dockscript-no-such-file.csx' does not exist; check the path");
        await repl.LineAsync("Containers[\"dockscript-no-such-container\"]");
        await repl.WaitForAsync(@"No container named 'dockscript-no-such-container' exists");
        await repl.LineAsync("6 * 7");
        var screen = await repl.WaitForAsync("(?m)^42$");
        Assert.DoesNotContain("   at ", screen);
    }

    [Fact]
    public async Task A_dead_engine_is_one_sentence_per_command_and_the_REPL_recovers_when_it_is_back()
    {
        // DOCKER_HOST names a socket path that is first missing, then a link to the real engine's.
        var socket = Path.Combine(Path.GetTempPath(), $"{Prefix()}-engine.sock");
        File.Delete(socket);
        try
        {
            await using var repl = await TmuxRepl.StartAsync(Lab, Prefix(), env: new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + socket });
            await repl.LineAsync("Networks");
            await repl.WaitForAsync($"No Docker engine answers at unix://{socket}");
            await repl.LineAsync("Containers.List().Count");
            var screen = await repl.WaitForAsync("No Docker engine answers", times: 2);
            Assert.DoesNotContain("   at ", screen);
            await repl.LineAsync("1 + 1");
            await repl.WaitForAsync("(?m)^2$");

            File.CreateSymbolicLink(socket, "/var/run/docker.sock");
            await repl.LineAsync("Networks.Count() > 0");
            await repl.WaitForAsync("(?m)^true$");
        }
        finally
        {
            File.Delete(socket);
        }
    }
}
