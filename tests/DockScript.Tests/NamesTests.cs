namespace DockScript.Tests;

public class NamesTests
{
    [Theory]
    [InlineData("nginx1")]
    [InlineData("my-network")]
    [InlineData("a.b_c")]
    [InlineData("9lives")]
    public void Valid_names_are_accepted(string name)
    {
        Assert.Null(Record.Exception(() => Names.Validate(name, "container")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Empty_name_is_refused(string? name)
    {
        var error = Assert.Throws<DockScriptException>(() => Names.Validate(name, "network"));

        Assert.Equal("A network name is needed, but an empty one was given.", error.Message);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("a b")]
    [InlineData(".hidden")]
    [InlineData("web/1")]
    public void Invalid_name_is_refused_naming_the_input(string name)
    {
        var error = Assert.Throws<DockScriptException>(() => Names.Validate(name, "container"));

        Assert.Equal(
            $"'{name}' is not a valid container name; use letters, digits, '_', '.' and '-', starting with a letter or digit.",
            error.Message);
    }
}
