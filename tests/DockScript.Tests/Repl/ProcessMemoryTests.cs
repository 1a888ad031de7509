using DockScript.Cli.Repl;

namespace DockScript.Tests.Repl;

public class ProcessMemoryTests
{
    [Fact]
    public void Memory_that_grew_past_the_slack_is_due_for_a_trim_and_not_after_it()
    {
        ProcessMemory.Trim();
        Assert.False(ProcessMemory.Grown());
        // Live, touched memory well past the slack: the resident set grows by at least that.
        var held = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            var block = GC.AllocateUninitializedArray<byte>(16 << 20);
            Array.Fill(block, (byte)i);
            held.Add(block);
        }
        Assert.True(ProcessMemory.Grown());
        ProcessMemory.Trim();
        // The blocks are still live, so the trim cannot give them back: the baseline moves up with them.
        Assert.False(ProcessMemory.Grown());
        Assert.Equal(6, held.Count(b => b[^1] == b[0]));
    }
}
