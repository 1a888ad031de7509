namespace DockScript.Tests;

public class ShellWordsTests
{
    [Fact]
    public void Whitespace_of_any_kind_and_amount_separates_words()
    {
        Assert.Equal(["ping", "-c", "1", "nginx1"], ShellWords.Split("  ping\t-c 1   nginx1 "));
    }

    [Fact]
    public void Single_quotes_keep_everything_literally()
    {
        Assert.Equal(["echo", "a \"b\" \\n $HOME"], ShellWords.Split("echo 'a \"b\" \\n $HOME'"));
    }

    [Fact]
    public void Double_quotes_honour_backslash_before_quote_and_backslash_only()
    {
        Assert.Equal(["echo", "say \"hi\" \\ \\n"], ShellWords.Split("echo \"say \\\"hi\\\" \\\\ \\n\""));
    }

    [Fact]
    public void Backslash_outside_quotes_escapes_the_next_character()
    {
        Assert.Equal(["touch", "my file", "a|b"], ShellWords.Split("touch my\\ file a\\|b"));
    }

    [Fact]
    public void Adjacent_quoted_parts_join_and_empty_quotes_make_an_empty_word()
    {
        Assert.Equal(["printf", "%s-%s", "", "ab c"], ShellWords.Split("printf '%s-%s' \"\" a'b c'"));
    }

    [Fact]
    public void Empty_command_has_no_words()
    {
        Assert.Empty(ShellWords.Split("   "));
    }

    [Theory]
    [InlineData("echo 'hi", "single")]
    [InlineData("echo \"hi \\\"", "double")]
    public void Unterminated_quote_throws_one_sentence_that_quotes_the_command(string command, string kind)
    {
        var error = Assert.Throws<FormatException>(() => ShellWords.Split(command));

        Assert.Contains($"'{command}'", error.Message);
        Assert.Contains($"unterminated {kind} quote", error.Message);
    }

    [Theory]
    [InlineData("ping -c1 nginx1 | tail -1")]
    [InlineData("sleep 1 && echo done")]
    [InlineData("sleep 10 &")]
    [InlineData("cd /tmp; ls")]
    [InlineData("cat < /etc/hosts")]
    [InlineData("echo hi > /tmp/x")]
    [InlineData("echo $HOME")]
    [InlineData("echo \"$HOME\"")]
    [InlineData("echo `hostname`")]
    [InlineData("ls /etc/*.conf")]
    [InlineData("ls /dev/tty?")]
    [InlineData("(cd /tmp)")]
    [InlineData("ls ~")]
    [InlineData("ls ~/x")]
    [InlineData("echo a\nls")]
    [InlineData("A=1 env")]
    [InlineData("echo 'unterminated")]
    public void Shell_syntax_outside_quotes_needs_a_shell(string command)
    {
        Assert.True(ShellWords.NeedsShell(command));
    }

    [Theory]
    [InlineData("ping -c 1 nginx1")]
    [InlineData("echo 'a | b > c'")]
    [InlineData("echo \"a; b & c * ?\"")]
    [InlineData("echo '$HOME'")]
    [InlineData("echo a\\|b \\$x")]
    [InlineData("ls a~b")]
    [InlineData("env A=1 printenv A")]
    [InlineData("wget -qO- http://nginx1/")]
    public void Plain_commands_do_not_need_a_shell(string command)
    {
        Assert.False(ShellWords.NeedsShell(command));
    }
}
