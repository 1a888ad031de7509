using DockScript.Cli;

namespace DockScript.Tests;

public sealed class ProgramTests
{
    [Theory]
    [InlineData("tour.csx", "run tour.csx --")]
    [InlineData("tour.csx a --keep", "run tour.csx -- a --keep")]
    [InlineData("tour.csx -- a", "run tour.csx -- a")]
    [InlineData("run tour.csx", "run tour.csx")]
    [InlineData("check tour.csx", "check tour.csx")]
    [InlineData("--help", "--help")]
    [InlineData("frobnicate", "frobnicate")]
    public void A_script_path_first_means_run_with_the_rest_for_the_script(string given, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Program.Shorthand(given.Split(' '))));
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        int[] codes = [ExitCodes.Success, ExitCodes.CompileError, ExitCodes.RuntimeError, ExitCodes.EngineUnavailable, ExitCodes.Usage, ExitCodes.Interrupted, ExitCodes.Terminated];

        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.Equal(64, ExitCodes.Usage);
        Assert.Equal(2, ExitCodes.RuntimeError);
    }
}
