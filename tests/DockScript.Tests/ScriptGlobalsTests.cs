using DockScript.Scripting;

namespace DockScript.Tests;

public class ScriptGlobalsTests
{
    [Fact]
    public void Failed_assertion_throws_with_the_claim()
    {
        var globals = new ScriptGlobals(null!);

        var error = Assert.Throws<AssertionFailedException>(() => globals.Assert(false, "x"));

        Assert.Equal("Assertion failed: x.", error.Message);
        Assert.Equal("x", error.Claim);
        Assert.IsAssignableFrom<DockScriptException>(error);
    }

    [Fact]
    public void Passing_assertion_does_nothing()
    {
        var globals = new ScriptGlobals(null!);

        Assert.Null(Record.Exception(() => globals.Assert(true, "never shown")));
    }

    [Fact]
    public void Args_default_to_empty_and_keep_their_order()
    {
        Assert.Empty(new ScriptGlobals(null!).Args);
        Assert.Equal(new[] { "nginx1", "--fast" }, new ScriptGlobals(null!, ["nginx1", "--fast"]).Args);
    }
}
