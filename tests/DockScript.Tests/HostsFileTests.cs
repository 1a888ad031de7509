namespace DockScript.Tests;

public class HostsFileTests
{
    // /etc/hosts of a container started with --link nginx1 on the default bridge.
    private const string LinkedContainer = """
        127.0.0.1	localhost
        ::1	localhost ip6-localhost ip6-loopback
        fe00::0	ip6-localnet
        ff00::0	ip6-mcastprefix
        ff02::1	ip6-allnodes
        ff02::2	ip6-allrouters
        172.17.0.2	nginx1 3f2a1b9c0d1e
        172.17.0.4	7c1d2e3f4a5b

        """;

    [Fact]
    public void Docker_hosts_file_gives_one_entry_per_line_with_tabs_and_IPv6()
    {
        var hosts = HostsFile.Parse(LinkedContainer);

        Assert.Equal(8, hosts.Count);
        Assert.Equal(["localhost", "ip6-localhost", "ip6-loopback"], hosts[1].Names);
        Assert.Equal("::1", hosts[1].Address);
        Assert.Same(hosts.Entries[6], hosts[6]);
    }

    [Fact]
    public void Lookup_matches_any_name_case_insensitively()
    {
        var hosts = HostsFile.Parse(LinkedContainer);

        Assert.Equal(["172.17.0.2"], hosts.Lookup("nginx1"));
        Assert.Equal(["172.17.0.2"], hosts.Lookup("NGINX1"));
        Assert.Equal(["172.17.0.2"], hosts.Lookup("3f2a1b9c0d1e"));
    }

    [Fact]
    public void Lookup_returns_every_address_in_file_order_once()
    {
        var hosts = HostsFile.Parse(LinkedContainer + "127.0.0.1 localhost\n");

        Assert.Equal(["127.0.0.1", "::1"], hosts.Lookup("localhost"));
    }

    [Fact]
    public void Lookup_of_an_unknown_name_is_empty_and_Contains_agrees()
    {
        var hosts = HostsFile.Parse(LinkedContainer);

        Assert.Empty(hosts.Lookup("nginx2"));
        Assert.False(hosts.Contains("nginx2"));
        Assert.True(hosts.Contains("Ip6-AllNodes"));
    }

    [Fact]
    public void Comments_blank_lines_and_CRLF_are_ignored()
    {
        var hosts = HostsFile.Parse("# header\r\n\r\n   \t\r\n10.0.0.5 db   # primary database\r\n  #10.0.0.6 old\r\n");

        var entry = Assert.Single(hosts);
        Assert.Equal("10.0.0.5", entry.Address);
        Assert.Equal(["db"], entry.Names);
    }

    [Fact]
    public void Lines_without_names_or_with_a_bad_address_are_skipped()
    {
        var hosts = HostsFile.Parse("10.0.0.7\n10.0.0.8 # only a comment\nhello world\n1 shorthand\n300.1.1.1 toobig\n10.0.0.9 ok\n");

        Assert.Equal(["10.0.0.9"], hosts.Select(e => e.Address));
    }

    [Fact]
    public void Entries_print_as_hosts_lines()
    {
        var hosts = HostsFile.Parse("172.17.0.2\tnginx1\t3f2a1b9c0d1e\n::1 localhost\n");

        Assert.Equal("172.17.0.2  nginx1 3f2a1b9c0d1e", hosts[0].ToString());
        Assert.Equal("172.17.0.2  nginx1 3f2a1b9c0d1e\n::1  localhost", hosts.ToString());
    }

    [Fact]
    public void Entries_compare_by_value()
    {
        var parsed = HostsFile.Parse("172.17.0.2 nginx1 web\n")[0];

        Assert.Equal(new HostsEntry("172.17.0.2", ["nginx1", "web"]), parsed);
        Assert.NotEqual(new HostsEntry("172.17.0.2", ["web", "nginx1"]), parsed);
    }

    [Fact]
    public void Empty_text_gives_an_empty_file()
    {
        var hosts = HostsFile.Parse("");

        Assert.Empty(hosts);
        Assert.Equal("", hosts.ToString());
    }
}
