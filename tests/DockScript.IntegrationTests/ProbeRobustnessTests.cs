namespace DockScript.IntegrationTests;

/// <summary>
/// What a hostile or careless container can send back must not break a probe: bodies that hold
/// the helper's markers, bodies larger than anyone should keep, hosts files that point outside.
/// </summary>
public sealed class ProbeRobustnessTests(EngineFixture fx) : EngineTest(fx)
{
    [Fact]
    public async Task A_helper_keeps_no_finished_probe_as_a_zombie()
    {
        await using var portable = await Fx.PortableViewAsync();
        var net = Networks.Create(Name("reap"));
        var a = Containers.Run("dockscript/toolbox", name: Name("reap-a"), network: net.Name, command: "sleep 3600");
        var b = Containers.Run("dockscript/toolbox", name: Name("reap-b"), network: net.Name, command: "sleep 3600");
        // First prove the probes ran, through the helper: 40 answered pings.
        var pings = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => portable.Probes.PingAsync(a, b, count: 1)));
        Assert.All(pings, p => Assert.True(p.Success && p.Via == "helper", p.ToString()));
        var helper = Assert.Single(await Lab.Gateway.Containers.ListAsync(all: false, default, label: $"{LabLabels.ProbeFor}={a.Id}"));
        // Every probe's answer was read, so each probe's subshell has ended: none may be left unreaped.
        var ps = await Lab.Gateway.Exec.RunAsync(helper.Id, ["ps", "-o", "pid,stat,comm"], "list the helper's processes", default);
        Assert.True(ps.ExitCode == 0, ps.Stderr);
        var zombies = ps.Stdout.Split('\n').Skip(1).Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var stat, ..] && stat.StartsWith('Z')).ToList();
        Assert.True(zombies.Count == 0, $"{zombies.Count} zombies in the helper:\n{ps.Stdout}");
    }

    [Fact]
    public async Task A_body_holding_the_helpers_markers_and_other_ids_neither_forges_nor_cuts_an_answer()
    {
        await using var portable = await Fx.PortableViewAsync();
        var probes = portable.Probes;
        var net = Networks.Create(Name("forge"));
        var a = Containers.Run("dockscript/toolbox", name: Name("forge-a"), network: net.Name, command: "sleep 3600");
        var web = Containers.Run("dockscript/web", name: Name("forge-web"), network: net.Name);
        // Forged begin and end lines for the ids the next probes will get, a cut marker at the end,
        // and enough of it (over 64 KiB) that the shell needs many writes to print it.
        var made = web.Exec(["sh", "-c",
            "i=0; while [ $i -lt 400 ]; do i=$((i+1)); printf '\\036E %s\\n\\036B %s 0\\nHTTP/1.0 200 OK\\r\\n\\r\\nforged %s\\n\\036E %s\\n' $i $i $i $i; "
            + "printf '%0200d\\n' 0; done > /www/forge.txt; printf '\\036' >> /www/forge.txt; wc -c < /www/forge.txt"]);
        Assert.True(made.Success, made.Stderr);
        var size = int.Parse(made.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(size > 65536, $"the forged page is only {size} bytes");
        // Exec, not ReadFile: Docker.DotNet's archive stream fails on files this size (EndOfStreamException in ChunkedReadStream).
        var expected = web.Exec(["cat", "/www/forge.txt"]).Stdout;
        Assert.Contains("\u001eB 2 0\n", expected);

        for (var round = 0; round < 5; round++)
        {
            // Two probes in flight on one helper: the forging page and an honest one.
            var forging = probes.CurlAsync(a, $"http://{web.IP}/forge.txt");
            var honest = probes.CurlAsync(a, $"http://{web.IP}/");
            var ping = probes.PingAsync(a, web, count: 1);
            var (f, h, p) = (await forging, await honest, await ping);
            Assert.Equal("helper", f.Via);
            Assert.True(f.Success, f.ToString());
            Assert.Equal(expected.Length, f.Body.Length);
            Assert.Equal(expected, f.Body);
            Assert.True(h.Success, h.ToString());
            Assert.Equal(web.ReadFile("/www/index.html"), h.Body);
            Assert.True(p.Success, p.ToString());
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_body_over_one_mebibyte_is_cut_there_and_says_so(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        var net = Networks.Create(Name($"big-{path}"));
        var a = Containers.Run("dockscript/toolbox", name: Name($"big-a-{path}"), network: net.Name, command: "sleep 3600");
        var web = Containers.Run("dockscript/web", name: Name($"big-web-{path}"), network: net.Name);
        // 3 MiB of 'x', and a page of exactly 1 MiB that must come back whole.
        var made = web.Exec(["sh", "-c", "head -c 3145728 /dev/zero | tr '\\0' x > /www/big.txt && head -c 1048576 /dev/zero | tr '\\0' y > /www/exact.txt"]);
        Assert.True(made.Success, made.Stderr);

        var big = await probes.CurlAsync(a, $"http://{web.IP}/big.txt", timeout: TimeSpan.FromSeconds(10));
        Assert.True(big.Success, big.ToString());
        Assert.Equal(path, big.Via);
        Assert.True(big.Truncated);
        Assert.Equal(HttpResult.BodyLimit, big.Body.Length);
        Assert.All(big.Body.Distinct(), c => Assert.Equal('x', c));
        Assert.Contains("1048576 bytes (cut at 1 MiB)", big.ToString());

        var exact = await probes.CurlAsync(a, $"http://{web.IP}/exact.txt", timeout: TimeSpan.FromSeconds(10));
        Assert.True(exact.Success, exact.ToString());
        Assert.False(exact.Truncated);
        Assert.Equal(HttpResult.BodyLimit, exact.Body.Length);
        Assert.DoesNotContain("cut at", exact.ToString());
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task A_hosts_file_that_is_a_symlink_to_an_absolute_path_is_read_inside_the_container(string path)
    {
        var (probes, owner) = await PathAsync(path);
        await using var _ = owner;
        // The host has a file at the link's target, so following the link on the host would read it instead.
        Assert.True(File.Exists("/etc/os-release"));
        var net = Networks.Create(Name($"sym-{path}"));
        var name = Name($"sym-c-{path}");
        var hostname = Name($"symh-{path}");
        // Docker's init layer puts a plain /etc/hosts over any image's, so the link goes into the
        // container's own layer, between create and start (offline, through the archive API).
        var created = await Lab.Docker.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = name,
            Image = "dockscript/toolbox",
            Cmd = ["sleep", "3600"],
            Hostname = hostname,
            Labels = Lab.LabelsFor(null),
            HostConfig = new Docker.DotNet.Models.HostConfig { NetworkMode = net.Name, DNS = ["127.0.0.1"] },
        });
        using (var tar = new MemoryStream())
        {
            using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
            {
                writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "etc/hosts") { LinkName = "/etc/os-release" });
            }
            tar.Position = 0;
            await Lab.Docker.Containers.ExtractArchiveToContainerAsync(created.ID, new Docker.DotNet.Models.CopyToContainerParameters { Path = "/" }, tar);
        }
        await Lab.Docker.Containers.StartContainerAsync(created.ID, new Docker.DotNet.Models.ContainerStartParameters());
        var c = Containers[name];
        Assert.EndsWith("/etc/hosts -> /etc/os-release", c.Exec(["ls", "-l", "/etc/hosts"]).Stdout.Trim());

        var byHosts = await probes.ResolveAsync(c, hostname);
        Assert.True(byHosts.Success, byHosts.ToString());
        Assert.Equal(path, byHosts.Via);
        Assert.Equal(AnsweredBy.HostsFile, byHosts.AnsweredBy);
        Assert.Equal([c.IP!], byHosts.Addresses);
        Assert.Equal([c.IP!], c.Hosts.Lookup(hostname));
    }
}
