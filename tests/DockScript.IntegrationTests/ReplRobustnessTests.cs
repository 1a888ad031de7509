namespace DockScript.IntegrationTests;

/// <summary>
/// The REPL under real use (issue 9): whatever a submission throws, the prompt comes back; every
/// Enter counts, however fast it comes; and however the REPL ends, the session's containers go.
/// Through tmux, on the real engine.
/// </summary>
public sealed class ReplRobustnessTests(EngineFixture fx) : EngineTest(fx)
{
    private string Prefix([System.Runtime.CompilerServices.CallerMemberName] string test = "") => TmuxRepl.Prefix(Fx, test);

    [Fact]
    public async Task A_value_that_throws_while_shown_is_one_red_line_and_the_variables_stay()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        await repl.LineAsync("var kept = 41;");
        await repl.IdleAsync();
        await repl.LineAsync("class Bad { public override string ToString() => throw new InvalidOperationException(\"boom\"); }");
        await repl.IdleAsync();
        await repl.LineAsync("new Bad()");
        await repl.WaitForAsync("(?m)^InvalidOperationException: boom$");
        // A lazy query runs only as it is shown.
        await repl.LineAsync("new[] { 1, 2 }.Select(x => 10 / (x - 1))");
        await repl.WaitForAsync("(?m)^DivideByZeroException: Attempted to divide by zero.$");
        // A getter, read by a record's ToString.
        await repl.LineAsync("record R { public int P => throw new ArgumentException(\"getter\"); }");
        await repl.IdleAsync();
        await repl.LineAsync("new R()");
        await repl.WaitForAsync("(?m)^ArgumentException: getter$");
        await repl.LineAsync("kept + 1");
        var screen = await repl.WaitForAsync("(?m)^42$");
        Assert.DoesNotContain("   at ", screen);

        await repl.LineAsync("#debug on");
        await repl.WaitForAsync("stack traces on");
        await repl.LineAsync("new Bad()");
        await repl.WaitForAsync("InvalidOperationException: boom", times: 2);
        await repl.WaitForAsync(@"   at Submission#\d+\.Bad\.ToString\(\)");
        await repl.LineAsync("kept");
        await repl.WaitForAsync("(?m)^41$");
    }

    [Fact]
    public async Task A_table_that_cannot_be_drawn_is_one_red_line()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        // Containers are drawn as a table; this sequence of them throws as the table reads it.
        await repl.LineAsync("new[] { 1 }.Select<int, Container>(x => throw new InvalidOperationException(\"no table\"))");
        await repl.WaitForAsync("(?m)^InvalidOperationException: no table$");
        await repl.LineAsync("6 * 7");
        var screen = await repl.WaitForAsync("(?m)^42$");
        Assert.DoesNotContain("   at ", screen);
    }

    [Fact]
    public async Task A_word_and_its_Enter_sent_in_one_burst_run()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        // A global typed in full is also the completion list's item; the Enter must run it, not take the item.
        // (Not Containers: on a shared engine a container can go while the table is drawn.)
        await repl.BurstAsync("Args", "Enter");
        await repl.WaitForAsync(@"(?m)^> Args\s*\n\[\]$");
        await repl.BurstAsync("Networks.Count() > 0", "Enter");
        await repl.WaitForAsync("(?m)^true$");
        await repl.BurstAsync("Networks.Count() > 0", "Enter");
        await repl.WaitForAsync("(?m)^true$", times: 2);
    }

    [Fact]
    public async Task Five_pasted_lines_run_as_five_submissions_in_order()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        // The third submission is a block over three lines: it continues as when typed.
        await repl.BurstAsync("var p = 1;", "Enter", "p + 10", "Enter", "if (p == 1) {", "Enter", "p = 2;", "Enter", "}", "Enter", "p + 20", "Enter", "\"last\"", "Enter");
        // (The terminal may echo keys that come before the editor reads them: wait for the answer, not the echo.)
        var screen = await repl.WaitForAsync("(?m)^> \"last\"\\s*\\n\"last\"$");
        var answers = screen.Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => !l.StartsWith("> ", StringComparison.Ordinal))
            .Where(l => l is "11" or "22" or "\"last\"").ToList();
        Assert.True(answers.SequenceEqual(["11", "22", "\"last\""]), screen);
        Assert.DoesNotContain("error", screen);
    }

    [Fact]
    public async Task Enter_runs_the_line_while_the_completion_list_is_still_loading()
    {
        await using var repl = await TmuxRepl.StartAsync(Lab, Prefix());
        await repl.LineAsync("40 + 2");
        await repl.WaitForAsync("(?m)^42$");
        // The dot opens the list; the rest of the line and its Enter come before it has loaded.
        await repl.TypeAsync("new[] { 1, 2 }.");
        await repl.BurstAsync("Count()", "Enter");
        await repl.WaitForAsync("(?m)^2$");
        // A word typed in full, then Enter at once: it runs, it is not taken from the list again.
        await repl.TypeAsync("\"abcd\".Length");
        await repl.KeyAsync("Enter");
        await repl.WaitForAsync("(?m)^4$");
    }

    [Fact]
    public async Task Closing_the_terminal_removes_the_session_containers()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        await repl.LineAsync($"Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-hup\", command: \"sleep 3600\").Name");
        await repl.WaitForAsync($"(?m)^\"{prefix}-hup\"$", TimeSpan.FromSeconds(60));
        var pid = await repl.PidAsync();
        await repl.CloseTerminalAsync();
        await GoneAsync(pid, prefix + "-hup");
    }

    [Fact]
    public async Task SIGTERM_removes_the_session_containers_and_exits_143()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        await repl.LineAsync($"Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-term\", command: \"sleep 3600\").Name");
        await repl.WaitForAsync($"(?m)^\"{prefix}-term\"$", TimeSpan.FromSeconds(60));
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", (await repl.PidAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }
        var screen = await repl.WaitForAsync(@"\[repl exited 143\]", TimeSpan.FromSeconds(30));
        Assert.True(screen.Contains($"removed 1 container ({prefix}-term)", StringComparison.Ordinal), screen);
        Assert.False(Containers.Exists(prefix + "-term"));
    }

    [Fact]
    public async Task A_crash_on_a_thread_of_its_own_still_removes_the_session_containers()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        await repl.LineAsync($"Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-crash\", command: \"sleep 3600\").Name");
        await repl.WaitForAsync($"(?m)^\"{prefix}-crash\"$", TimeSpan.FromSeconds(60));
        // An exception on a thread of its own ends any .NET process; the cleanup runs first.
        await repl.LineAsync("new System.Threading.Thread(() => throw new InvalidOperationException(\"unobserved\")).Start()");
        var screen = await repl.WaitForAsync(@"\[repl exited \d+\]", TimeSpan.FromSeconds(30));
        Assert.Contains("The REPL crashed (InvalidOperationException: unobserved)", screen);
        Assert.Contains($"removed 1 container ({prefix}-crash)", screen);
        Assert.False(Containers.Exists(prefix + "-crash"));
    }

    [Fact]
    public async Task Code_that_ignores_Ctrl_C_is_announced_and_exit_waits_for_it_then_cleans_up()
    {
        var prefix = Prefix();
        await using var repl = await TmuxRepl.StartAsync(Lab, prefix);
        var done = Path.Combine(repl.DataHome, "stubborn-done");
        await repl.LineAsync($"Containers.Run(\"dockscript/toolbox\", name: \"{prefix}-wait\", command: \"sleep 3600\").Name");
        await repl.WaitForAsync($"(?m)^\"{prefix}-wait\"$", TimeSpan.FromSeconds(60));
        await repl.LineAsync($"Console.WriteLine(\"stubborn\"); System.Threading.Thread.Sleep(4000); System.IO.File.WriteAllText(\"{done}\", \"x\");");
        await repl.WaitForAsync("(?m)^stubborn$");
        await repl.KeyAsync("C-c");
        await repl.WaitForAsync("ignores Ctrl\\+C and is still running; its cancellation stays requested");
        await repl.LineAsync("#exit");
        var screen = await repl.WaitForAsync(@"\[repl exited 0\]", TimeSpan.FromSeconds(30));
        // #exit waited for it: the file it writes at its end is there, and only then the cleanup ran.
        Assert.True(File.Exists(done), "the stubborn submission was not waited for");
        Assert.Contains("waiting for the submission that ignores Ctrl+C", screen);
        Assert.Contains($"removed 1 container ({prefix}-wait)", screen);
        Assert.False(Containers.Exists(prefix + "-wait"));
    }

    /// <summary>Waits (bounded) until the REPL process has ended and its container is gone.</summary>
    private async Task GoneAsync(int pid, string container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.Exists($"/proc/{pid}") || Containers.Exists(container))
        {
            Assert.True(DateTime.UtcNow < deadline, $"after 30 s: process {(Directory.Exists($"/proc/{pid}") ? "alive" : "gone")}, container {(Containers.Exists(container) ? "still there" : "gone")}");
            await Task.Delay(100);
        }
    }
}
