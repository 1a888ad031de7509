using DockScript.Cli.Repl;
using Spectre.Console.Testing;

namespace DockScript.Tests.Repl;

public class ResultViewTests
{
    private static async Task<string> Render(object? value)
    {
        var console = new TestConsole().Width(100);
        await new ResultView(console).ShowAsync(value, default);
        return console.Output;
    }

    [Fact]
    public async Task Plain_values_are_formatted_the_C_sharp_way()
    {
        Assert.Equal("\"a\\tb\"\n", await Render("a\tb"));
        Assert.Equal("null\n", await Render(null));
        Assert.Equal("[1, 2, 3]\n", await Render(new List<int> { 1, 2, 3 }));
        Assert.Equal("{ \"bridge\": \"172.17.0.2\" }\n", await Render(new Dictionary<string, string> { ["bridge"] = "172.17.0.2" }));
        Assert.Equal("3.5\n", await Render(3.5));
        Assert.Equal("true\n", await Render(true));
    }

    [Fact]
    public async Task DSL_lists_of_names_show_their_items_and_maps_their_pairs()
    {
        var conf = ResolvConf.Parse("nameserver 127.0.0.11\nsearch .\noptions ndots:0\n");
        Assert.Equal("[\"127.0.0.11\"]\n", await Render(conf.Nameservers));
    }

    [Fact]
    public async Task Interfaces_render_as_a_table()
    {
        var eth0 = new NetInterface("eth0", "02:42:ac:11:00:02", 1500, true, ["172.17.0.2/16"], ["fe80::42:acff:fe11:2/64"], 2048, 656, 20, 8);
        var lo = new NetInterface("lo", null, 65536, true, ["127.0.0.1/8"], ["::1/128"], 0, 0, 0, 0);
        var text = await Render(new List<NetInterface> { lo, eth0 });
        Assert.Matches(@"INTERFACE\s+STATE\s+ADDRESSES\s+MAC\s+MTU\s+RX\s+TX", text);
        Assert.Matches(@"eth0\s+up\s+172\.17\.0\.2/16\s+02:42:ac:11:00:02\s+1500\s+2\.0 KB \(20\)\s+656 B \(8\)", text);
        Assert.Matches(@"lo\s+up\s+127\.0\.0\.1/8", text);
        Assert.DoesNotContain("fe80::", text);
    }

    [Fact]
    public async Task A_failed_ping_is_a_panel_with_its_reason()
    {
        var ping = new PingResult("hermit", "nginx1", null, 0, 0, null, "hermit is on the 'none' network: it has only loopback", "namespace");
        var text = await Render(ping);
        Assert.Contains("ping hermit → nginx1", text);
        Assert.Contains("not sent", text);
        Assert.Contains("hermit is on the 'none' network: it has only loopback", text);
        Assert.Contains("╭", text);
    }

    [Fact]
    public async Task A_successful_ping_shows_replies_and_round_trips()
    {
        var ping = new PingResult("nginx1", "nginx2", "172.17.0.3", 4, 4,
            new RoundTrip(TimeSpan.FromMilliseconds(0.05), TimeSpan.FromMilliseconds(0.07), TimeSpan.FromMilliseconds(0.1)), null, "namespace");
        var text = await Render(ping);
        Assert.Contains("ping nginx1 → nginx2 (172.17.0.3)", text);
        Assert.Contains("4/4 replies, 0% loss", text);
        Assert.Contains("rtt min/avg/max", text);
    }

    [Fact]
    public async Task Http_and_dns_results_are_panels()
    {
        var http = new HttpResult("web3", "http://nginx1/", "172.17.0.2", 200, "nginx1\n", new Dictionary<string, string>(),
            TimeSpan.FromMilliseconds(2.5), HttpFailure.None, null, "namespace");
        var text = await Render(http);
        Assert.Contains("GET http://nginx1/ from web3", text);
        Assert.Contains("200 in 2.5 ms, 7 bytes", text);
        Assert.Contains("nginx1", text);

        var dns = new DnsResult("web1", "nginx2", [], AnsweredBy.None, "127.0.0.1", "nginx1 is only on the default bridge network, which has no name resolution", "namespace");
        var failed = await Render(dns);
        Assert.Contains("resolve nginx2 from web1", failed);
        Assert.Contains("which has no name resolution", failed);
    }

    [Fact]
    public async Task Reachability_is_a_grid_with_the_failures_listed()
    {
        PingResult Ok(string f, string t) => new(f, t, "10.0.0.1", 1, 1, null, null, "namespace");
        PingResult Bad(string f, string t) => new(f, t, null, 1, 0, null, $"{f} and {t} share no network", "namespace");
        var matrix = new Reachability(["a", "b"],
        [
            new ReachabilityCell("a", "b", Ok("a", "b"), Ok("a", "b")),
            new ReachabilityCell("b", "a", Bad("b", "a"), null),
        ]);
        var text = await Render(matrix);
        Assert.Contains("ip+name", text);
        Assert.Contains("·", text);
        Assert.Contains("1 of 2 pairs by IP", text);
        Assert.Contains("b → a by IP: b and a share no network", text);
    }
}
