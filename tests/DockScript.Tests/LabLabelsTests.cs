namespace DockScript.Tests;

public class LabLabelsTests
{
    [Fact]
    public void For_carries_managed_session_and_version()
    {
        var labels = LabLabels.For("s-123");

        Assert.Equal(5, labels.Count);
        Assert.Equal("true", labels["io.dockscript"]);
        Assert.Equal("s-123", labels["io.dockscript.session"]);
        Assert.Equal(LabInfo.Version, labels["io.dockscript.version"]);
        Assert.Matches(@"^\d+\.\d+\.\d+$", LabInfo.Version);
    }

    [Fact]
    public void For_adds_extra_labels()
    {
        var labels = LabLabels.For("s-123", new Dictionary<string, string> { [LabLabels.Role] = "helper", ["team"] = "net" });

        Assert.Equal(7, labels.Count);
        Assert.Equal("helper", labels["io.dockscript.role"]);
        Assert.Equal("net", labels["team"]);
        Assert.Equal("s-123", labels[LabLabels.Session]);
    }

    [Fact]
    public void IsManaged_and_SessionOf_read_the_labels_For_writes()
    {
        var labels = LabLabels.For("s-9");

        Assert.True(LabLabels.IsManaged(labels));
        Assert.Equal("s-9", LabLabels.SessionOf(labels));
        Assert.False(LabLabels.IsManaged(null));
        Assert.False(LabLabels.IsManaged(new Dictionary<string, string> { ["io.dockscript"] = "yes" }));
        Assert.Null(LabLabels.SessionOf(new Dictionary<string, string>()));
    }

    [Fact]
    public void For_stamps_the_owner_process_and_machine()
    {
        var labels = LabLabels.For("s-1");

        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), labels[LabLabels.Pid]);
        Assert.Equal(Environment.MachineName, labels[LabLabels.Host]);
        Assert.Equal(SessionOwner.Current, SessionOwner.From(labels));
    }

    [Fact]
    public void A_script_cannot_set_the_owner_labels()
    {
        var error = Assert.Throws<DockScriptException>(() => LabLabels.For("s-1", new Dictionary<string, string> { [LabLabels.Pid] = "1" }));

        Assert.Contains("io.dockscript.pid", error.Message);
    }

    [Fact]
    public void Owner_is_alive_only_for_a_running_process_on_this_machine()
    {
        Assert.True(SessionOwner.Current.IsAlive);
        Assert.False(new SessionOwner(int.MaxValue, Environment.MachineName).IsAlive);
        Assert.False(new SessionOwner(Environment.ProcessId, "some-other-machine").IsAlive);
        Assert.Null(SessionOwner.From(new Dictionary<string, string> { [LabLabels.Session] = "old" }));
    }
}
