namespace DockScript.Tests;

public class CleanupReportTests
{
    [Fact]
    public void Empty_report_says_nothing_to_clean_up()
    {
        var report = new CleanupReport([], [], []);

        Assert.True(report.IsEmpty);
        Assert.Equal("nothing to clean up", report.ToString());
    }

    [Fact]
    public void Removed_containers_and_network_are_counted_and_named()
    {
        var report = new CleanupReport(["nginx1", "nginx2"], ["lab-net"], []);

        Assert.False(report.IsEmpty);
        Assert.Equal("removed 2 containers (nginx1, nginx2) and 1 network (lab-net)", report.ToString());
    }

    [Fact]
    public void Probe_helpers_are_counted_but_not_named()
    {
        var report = new CleanupReport(["nginx1"], [], []) { ProbeHelpers = 2 };
        Assert.Equal("removed 1 container (nginx1) and 2 probe helpers", report.ToString());
        Assert.False(new CleanupReport([], [], []) { ProbeHelpers = 1 }.IsEmpty);
    }

    [Fact]
    public void Three_kinds_read_as_a_list()
    {
        var report = new CleanupReport(["nginx1"], ["lab-net", "plain"], []) { ProbeHelpers = 1 };
        Assert.Equal("removed 1 container (nginx1), 2 networks (lab-net, plain) and 1 probe helper", report.ToString());
    }

    [Fact]
    public void Single_container_is_singular()
    {
        Assert.Equal("removed 1 container (web1)", new CleanupReport(["web1"], [], []).ToString());
    }

    [Fact]
    public void Kept_resources_are_listed_with_their_reasons()
    {
        var report = new CleanupReport([], ["a", "b"], ["network c (still has members: x)", "container y (in use)"]);

        Assert.Equal("removed 2 networks (a, b); kept network c (still has members: x); container y (in use)", report.ToString());
    }

    [Fact]
    public void Report_that_only_kept_something_is_not_empty()
    {
        var report = new CleanupReport([], [], ["network c (still has members: x)"]);

        Assert.False(report.IsEmpty);
        Assert.Equal("removed nothing; kept network c (still has members: x)", report.ToString());
    }
}
