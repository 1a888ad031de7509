namespace DockScript.Tests;

public class LabImageTests
{
    [Theory]
    [InlineData("dockscript/web")]
    [InlineData("dockscript/web:latest")]
    public void Find_knows_the_web_image_with_or_without_latest(string reference)
    {
        Assert.Same(LabImage.Web, LabImage.Find(reference));
    }

    [Fact]
    public void Find_knows_the_toolbox_image()
    {
        Assert.Same(LabImage.Toolbox, LabImage.Find("dockscript/toolbox:latest"));
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("dockscript/web:1.0")]
    [InlineData("docker.io/dockscript/web")]
    [InlineData("dockscript/WEB")]
    public void Find_returns_null_for_other_images(string reference)
    {
        Assert.Null(LabImage.Find(reference));
    }

    [Fact]
    public void All_lists_web_and_toolbox()
    {
        Assert.Equal(new[] { "dockscript/web", "dockscript/toolbox" }, LabImage.All.Select(i => i.Name));
    }

    [Fact]
    public void AllChanges_carries_the_version_label_and_a_CMD()
    {
        var changes = LabImage.Web.AllChanges.ToList();

        Assert.Contains($"LABEL io.dockscript.image-version={LabImage.ContentVersion}", changes);
        Assert.Contains("LABEL io.dockscript.image=dockscript/web", changes);
        Assert.Contains("ENV PATH=/bin", changes);
        Assert.Single(changes, c => c.StartsWith("CMD ", StringComparison.Ordinal));
    }

    [Fact]
    public void Web_runs_httpd_on_port_80_and_exposes_it()
    {
        var cmd = Assert.Single(LabImage.Web.Changes, c => c.StartsWith("CMD ", StringComparison.Ordinal));

        Assert.Contains("exec httpd -f -p 80 -h /www", cmd);
        Assert.Contains("EXPOSE 80/tcp", LabImage.Web.Changes);
    }

    [Fact]
    public void Web_links_every_applet_its_CMD_needs()
    {
        Assert.Contains("sh", LabImage.Web.Applets);
        Assert.Contains("hostname", LabImage.Web.Applets);
        Assert.Contains("httpd", LabImage.Web.Applets);
    }

    [Fact]
    public void Toolbox_idles_with_sleep()
    {
        var cmd = Assert.Single(LabImage.Toolbox.AllChanges, c => c.StartsWith("CMD ", StringComparison.Ordinal));

        Assert.Equal("CMD [\"sleep\", \"2147483647\"]", cmd);
        Assert.Contains("sleep", LabImage.Toolbox.Applets);
        Assert.Contains("LABEL io.dockscript.image=dockscript/toolbox", LabImage.Toolbox.AllChanges);
    }
}
