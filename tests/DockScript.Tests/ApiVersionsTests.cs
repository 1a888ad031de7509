namespace DockScript.Tests;

public class ApiVersionsTests
{
    [Fact]
    public void Older_daemon_pins_the_daemon_version()
    {
        Assert.Equal(new Version(1, 43), ApiVersions.Pin("1.43", new Version(1, 52)));
    }

    [Fact]
    public void Newer_daemon_pins_the_client_version()
    {
        Assert.Equal(new Version(1, 52), ApiVersions.Pin("1.54", new Version(1, 52)));
    }

    [Fact]
    public void Equal_versions_pin_that_version()
    {
        Assert.Equal(new Version(1, 47), ApiVersions.Pin("1.47", new Version(1, 47)));
    }

    [Fact]
    public void Default_client_is_the_bundled_models_version()
    {
        Assert.Equal(new Version(1, 52), ApiVersions.Client);
        Assert.Equal(new Version(1, 52), ApiVersions.Pin("1.99"));
        Assert.Equal(new Version(1, 44), ApiVersions.Pin("1.44"));
    }

    [Fact]
    public void The_minimum_itself_is_accepted()
    {
        Assert.Equal(new Version(1, 41), ApiVersions.Pin("1.41"));
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("1")]
    [InlineData("")]
    public void Unreadable_version_is_refused_naming_the_value(string reported)
    {
        var error = Assert.Throws<DockScriptException>(() => ApiVersions.Pin(reported));

        Assert.Equal(
            $"The engine reported API version '{reported}', which DockScript cannot read; is the endpoint really a Docker engine?",
            error.Message);
    }

    [Fact]
    public void Missing_version_is_refused()
    {
        var error = Assert.Throws<DockScriptException>(() => ApiVersions.Pin(null));

        Assert.Contains("API version ''", error.Message);
    }

    [Fact]
    public void Daemon_older_than_minimum_asks_for_an_upgrade()
    {
        var error = Assert.Throws<DockScriptException>(() => ApiVersions.Pin("1.40"));

        Assert.Equal(
            "The engine speaks Docker API 1.40, older than the 1.41 DockScript needs; upgrade Docker to 20.10 or newer.",
            error.Message);
    }
}
