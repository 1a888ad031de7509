namespace DockScript.Tests;

/// <summary>What the DSL's lists and maps print in a script: their contents, not a type name.</summary>
public class ReadableTests
{
    [Fact]
    public void A_list_prints_its_items()
    {
        Assert.Equal("127.0.0.11", ResolvConf.Parse("nameserver 127.0.0.11\n").Nameservers.ToString());
        Assert.Equal("a, b", Readable.List(["a", "b"]).ToString());
        Assert.Equal("a\nb", Readable.List(["a", "b"], "\n").ToString());
        Assert.Equal(["a", "b"], Readable.List(["a", "b"]));
    }

    [Fact]
    public void A_map_prints_its_pairs_and_still_reads_as_a_map()
    {
        var map = Readable.Map(new Dictionary<string, string?> { ["bridge"] = "172.17.0.2", ["my-network"] = null });
        Assert.Equal("bridge=172.17.0.2, my-network=-", map.ToString());
        Assert.Equal("172.17.0.2", map["bridge"]);
        Assert.True(map.ContainsKey("my-network"));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void Hosts_lookups_print_their_addresses()
    {
        var hosts = HostsFile.Parse("172.17.0.2\tnginx1 abc123\n172.17.0.9 nginx1\n");
        Assert.Equal("172.17.0.2, 172.17.0.9", hosts.Lookup("nginx1").ToString());
    }
}
