namespace DockScript.IntegrationTests;

public sealed class SessionTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public async Task The_API_version_is_pinned_to_the_lower_of_daemon_and_client()
    {
        var version = await Lab.Docker.System.GetVersionAsync();
        var daemon = Version.Parse(version.APIVersion);
        Assert.Equal(daemon < ApiVersions.Client ? daemon : ApiVersions.Client, Lab.Engine.ApiVersion);
        Assert.Equal(daemon, Lab.Engine.DaemonApiVersion);
        Assert.Equal(Lab.Engine.ApiVersion, Lab.Docker.Options.ApiVersion);
    }

    [Fact]
    public async Task An_engine_that_is_down_is_one_actionable_sentence()
    {
        var e = await Assert.ThrowsAsync<EngineUnavailableException>(() =>
            Lab.StartAsync(new LabOptions { Endpoint = DockerEndpoint.FromEnvironment("unix:///tmp/dockscript-no-engine.sock") }));
        Assert.Contains("unix:///tmp/dockscript-no-engine.sock", e.Message);
        Assert.Contains("start", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Cleanup_removes_exactly_this_sessions_resources()
    {
        await using var other = await Fx.OtherSessionAsync();
        var mine = Containers.Run("dockscript/toolbox", name: Name("mine"));
        var myNet = Networks.Create(Name("mine-net"));
        var theirs = await other.Containers.RunAsync("dockscript/toolbox", name: Name("theirs"));
        Assert.Equal([$"{mine.Name} (container)", $"{myNet.Name} (network)"], Lab.Created);

        var report = Lab.Cleanup();
        Assert.Equal([mine.Name], report.Containers);
        Assert.Equal([myNet.Name], report.Networks);
        Assert.False(Containers.Exists(mine.Name));
        Assert.True(Containers.Exists(theirs.Name));
        Assert.Contains("removed 1 container", report.ToString());

        var theirReport = await other.CleanupAsync();
        Assert.Equal([theirs.Name], theirReport.Containers);
    }

    [Fact]
    public async Task A_network_someone_else_joined_is_kept_with_the_reason()
    {
        var net = Networks.Create(Name("joined"));
        var created = await Lab.Docker.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = Name("joiner"),
            Image = LabImage.Toolbox.Name,
            HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = net.Name },
        });
        try
        {
            await Lab.Docker.Containers.StartContainerAsync(created.ID, new());
            var report = Lab.Cleanup();
            Assert.Contains(report.Kept, k => k.Contains(net.Name));
            Assert.Equal("running", Containers[Name("joiner")].State);
        }
        finally
        {
            await Lab.Docker.Containers.RemoveContainerAsync(created.ID, new() { Force = true });
        }
    }

    [Fact]
    public async Task Lab_images_are_built_once_and_carry_their_version()
    {
        var before = await Lab.Docker.Images.InspectImageAsync(LabImage.Web.Name);
        await Lab.Images.EnsureLabImageAsync(LabImage.Web);
        var after = await Lab.Docker.Images.InspectImageAsync(LabImage.Web.Name);
        Assert.Equal(before.ID, after.ID);
        Assert.Equal(LabImage.ContentVersion.ToString(), after.Config!.Labels![LabImage.VersionLabel]);
        Assert.Contains("80/tcp", after.Config!.ExposedPorts!.Keys);
    }

    [Fact]
    public async Task A_lab_image_with_an_instruction_import_refuses_is_one_sentence()
    {
        // docker import accepts no STOPSIGNAL; sent anyway, the daemon would cut the upload short.
        var bad = new LabImage($"dockscript-test/rejected-{Fx.Run}", "rejected", [], ["STOPSIGNAL SIGKILL"]);
        var e = await Assert.ThrowsAsync<ImageUnavailableException>(() => Lab.Images.BuildAsync(bad));
        Assert.Contains("'STOPSIGNAL SIGKILL', which docker import does not accept", e.Message);
        Assert.Contains(bad.Name, e.Message);
        Assert.False(await Lab.Images.ExistsAsync(bad.Name));
    }

    [Fact]
    public async Task An_import_the_engine_rejects_is_not_mistaken_for_a_dead_engine()
    {
        // The daemon answers 400 before reading the upload and drops the connection: a broken pipe here.
        var bad = new LabImage($"dockscript-test/rejected-{Fx.Run}", "rejected", [], ["EXPOSE not-a-port"]);
        var e = await Assert.ThrowsAsync<ImageUnavailableException>(() => Lab.Images.BuildAsync(bad));
        Assert.Contains($"The engine refused to import the lab image {bad.Name}", e.Message);
        Assert.NotEmpty(Networks.List());
    }

    [Fact]
    public void Blocking_calls_honour_the_ambient_cancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using (Ambient.Use(cts.Token))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => Networks.List());
        }
        Assert.NotEmpty(Networks.List());
    }
}
