using System.Net;
using DockScript.Cli.Repl;
using Spectre.Console.Testing;

namespace DockScript.Tests;

/// <summary>Explain's pieces that need no engine: the parsers it reads evidence with, and how it shows.</summary>
public class ExplainTests
{
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 439097 1 0000 100 0 0 10 0
           1: 030012AC:0050 020012AC:C350 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0000 100 0 0 10 0
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue
           0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000
           1: 0000000000000000FFFF00000100007F:0051 00000000000000000000000000000000:0000 0A 00000000:00000000
        """;

    [Fact]
    public void Listening_sockets_are_read_with_their_addresses_from_both_tables()
    {
        var sockets = ListeningSockets.Parse(Tcp + "\n" + Tcp6);
        Assert.Equal(3, sockets.Count); // the established connection is not listening
        Assert.Equal(("127.0.0.1:8080", true, false), (sockets[0].Endpoint, sockets[0].Loopback, sockets[0].Wildcard));
        Assert.Equal(("[::]:80", false, true), (sockets[1].Endpoint, sockets[1].Loopback, sockets[1].Wildcard));
        Assert.Equal(("127.0.0.1:81", true), (sockets[2].Endpoint, sockets[2].Loopback));
        Assert.True(sockets[1].Accepts(IPAddress.Parse("172.18.0.3")));
        Assert.False(sockets[0].Accepts(IPAddress.Parse("172.18.0.3")));
        Assert.Equal("0100007F:1F90 00000000:0000 0A", sockets[0].Line);
    }

    [Fact]
    public void A_DOCKER_USER_drop_rule_is_named_when_it_matches_the_flow_and_only_then()
    {
        var rules = DockerUserChain.Parse("""
            *filter
            :DOCKER-USER - [0:0]
            -A FORWARD -j DOCKER-USER
            -A DOCKER-USER -i eth9 -j DROP
            -A DOCKER-USER -s 172.28.0.2/32 -d 172.28.0.3/32 -p tcp -m tcp --dport 80 -j DROP
            -A DOCKER-USER -s 10.9.0.0/16 -j REJECT --reject-with icmp-port-unreachable
            -A DOCKER-USER -j RETURN
            COMMIT
            """);
        Assert.Equal(4, rules.Count);
        Assert.False(rules[0].Understood); // an interface match is passed over, not guessed at
        var hit = DockerUserChain.Dropping(rules, IPAddress.Parse("172.28.0.2"), IPAddress.Parse("172.28.0.3"), "tcp", 80);
        Assert.Equal("-A DOCKER-USER -s 172.28.0.2/32 -d 172.28.0.3/32 -p tcp -m tcp --dport 80 -j DROP", hit?.Text);
        Assert.Null(DockerUserChain.Dropping(rules, IPAddress.Parse("172.28.0.2"), IPAddress.Parse("172.28.0.3"), "tcp", 81));
        Assert.Null(DockerUserChain.Dropping(rules, IPAddress.Parse("172.28.0.2"), IPAddress.Parse("172.28.0.3"), "icmp", null));
        Assert.Equal("REJECT", DockerUserChain.Dropping(rules, IPAddress.Parse("10.9.1.1"), IPAddress.Parse("172.28.0.3"), "icmp", null)?.Target);
    }

    private static Explanation Sample(bool reachable) => new("web1", "db", 80, reachable,
        reachable ? ProbeCause.None : ProbeCause.LoopbackOnly,
        reachable ? null : "db1 listens on port 80 only at 127.0.0.1:80.",
        [
            new(ExplanationLayer.Name, true, "'db' → 172.18.0.3 from the embedded DNS (127.0.0.11)"),
            new(ExplanationLayer.Address, true, "172.18.0.3 is db1's address on 'blue'"),
            new(ExplanationLayer.Listener, reachable, reachable ? "db1 listens on [::]:80" : "db1 listens on port 80 only at 127.0.0.1:80") { Cause = reachable ? ProbeCause.None : ProbeCause.LoopbackOnly },
            new(ExplanationLayer.Answer, reachable, reachable ? "TCP connect: connected" : "TCP connect: refused"),
        ], "namespace");

    [Fact]
    public void ToString_is_a_tree_with_a_mark_per_layer_and_the_cause_when_it_fails()
    {
        Assert.Equal("""
            explain web1 → db:80: not reachable
            ├─ ✔ Name     'db' → 172.18.0.3 from the embedded DNS (127.0.0.11)
            ├─ ✔ Address  172.18.0.3 is db1's address on 'blue'
            ├─ ✘ Listener db1 listens on port 80 only at 127.0.0.1:80
            └─ ✘ Answer   TCP connect: refused
            cause: LoopbackOnly: db1 listens on port 80 only at 127.0.0.1:80.
            """.ReplaceLineEndings("\n"), Sample(false).ToString());
        Assert.DoesNotContain("cause:", Sample(true).ToString());
        Assert.StartsWith("explain web1 → db:80: reachable\n", Sample(true).ToString());
    }

    [Fact]
    public async Task The_REPL_renders_it_as_a_tree_with_marks_and_the_cause()
    {
        var console = new TestConsole().Width(200);
        await new ResultView(console).ShowAsync(Sample(false), default);
        var text = console.Output;
        Assert.Contains("explain web1 → db:80: not reachable", text);
        Assert.Matches(@"(├──|└──) ✔ Name\s+'db' → 172\.18\.0\.3", text);
        Assert.Matches(@"└── ✘ Answer\s+TCP connect: refused", text);
        Assert.Contains("cause: LoopbackOnly: db1 listens on port 80 only at 127.0.0.1:80.", text);
    }

    [Fact]
    public void A_name_known_only_on_another_network_names_that_network_and_the_fix()
    {
        static EndpointView On(string net, string ip, params string[] aliases) => new(net + "-id", ip, aliases);
        var web = new ContainerView("shop_web_1", "w", "running", "shop_front", new Dictionary<string, EndpointView> { ["shop_front"] = On("shop_front", "172.30.0.2") }) { Service = "web" };
        var db = new ContainerView("shop_db_1", "d", "running", "shop_back", new Dictionary<string, EndpointView> { ["shop_back"] = On("shop_back", "172.31.0.2", "shop_db_1", "db", "d0c1") }) { Service = "db" };
        var view = new EngineView([web, db], []);
        var verdict = Diagnosis.NameElsewhere(view, web, "db");
        Assert.Equal(ProbeCause.NameOnOtherNetwork, verdict?.Cause);
        Assert.Equal("'db' is the service alias of shop_db_1 on 'shop_back'; shop_web_1 is only on 'shop_front', where the embedded DNS does not know it. "
            + "Fix: Networks[\"shop_back\"].Connect(\"shop_web_1\").", verdict?.Text);
        Assert.Equal("'shop_db_1' is a container on 'shop_back'", Diagnosis.NameElsewhere(view, web, "shop_db_1")?.Text.Split(';')[0]);
        // Known on a network the source shares, or nowhere: not this cause.
        Assert.Null(Diagnosis.NameElsewhere(view, db, "db"));
        Assert.Null(Diagnosis.NameElsewhere(view, web, "nosuch"));
    }

    [Fact]
    public void The_listener_sentence_names_the_ports_and_addresses_it_does_listen_on()
    {
        var sockets = ListeningSockets.Parse(Tcp + "\n" + Tcp6);
        Assert.Equal("it listens on 80 at ::, 81 at 127.0.0.1 only, 8080 at 127.0.0.1 only.", Probes.ListensOn("api", sockets));
        var loopback = ListeningSockets.Parse(Tcp).ToList();
        Assert.Equal("it listens on 8080 at 127.0.0.1 only, which only processes inside api can reach.", Probes.ListensOn("api", loopback));
        Assert.Equal("it listens on no TCP port at all.", Probes.ListensOn("api", []));
        // Docker's embedded DNS keeps a TCP socket at 127.0.0.11 in every container on a user network: not the user's server.
        var withDns = ListeningSockets.Parse(Tcp + "\n   2: 0B00007F:B3F3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000 100 0 0 10 0");
        Assert.Equal(2, withDns.Count);
        Assert.Equal("it listens on 8080 at 127.0.0.1 only, which only processes inside api can reach.", Probes.ListensOn("api", withDns));
    }

    private static ContainerView Box(string name, string state, params (string Net, string Ip)[] nets) =>
        new(name, name + "-id-" + Guid.NewGuid().ToString("N"), state, nets.Length == 0 ? "blue" : nets[0].Net,
            nets.ToDictionary(n => n.Net, n => new EndpointView(n.Net + "-id", n.Ip, []), StringComparer.Ordinal));

    [Fact]
    public void A_stopped_target_by_IP_is_named_from_the_remembered_address_and_the_list_alone()
    {
        var blue = new NetworkView("blue", "blue-id", "bridge", false, ["172.20.0.0/16"]);
        var web1 = Box("web1", "running", ("blue", "172.20.0.2"));
        var web2 = Box("web2", "running", ("blue", "172.20.0.203"));
        AddressBook.Remember(new ContainerInfo(web2.Id, "web2", "dockscript/web", "running", new Dictionary<string, string>(), "blue",
            new Dictionary<string, EndpointInfo> { ["blue"] = new("blue-id", "172.20.0.203", []) }));
        // As the list shows it once stopped: no address, and the engine's own words for the exit.
        var stopped = web2 with { State = "exited", Summary = "Exited (137) 40 seconds ago", Networks = new Dictionary<string, EndpointView> { ["blue"] = new("blue-id", null, []) } };
        var view = new EngineView([web1, stopped], [blue]);

        var why = Diagnosis.NoAnswer(view, web1, "172.20.0.203", null, TimeSpan.FromSeconds(1), "the ping");
        Assert.Equal(ProbeCause.TargetNotRunning, why.Cause);
        Assert.StartsWith("172.20.0.203 was web2's address on 'blue'; web2 is stopped (exited 137, 40 s ago)", why.Text);

        var gone = Diagnosis.NoAnswer(view with { Containers = [web1] }, web1, "172.20.0.203", null, TimeSpan.FromSeconds(1), "the ping");
        Assert.Equal(ProbeCause.TargetRemoved, gone.Cause);
        Assert.StartsWith("172.20.0.203 was web2's address on 'blue'; web2 has been removed", gone.Text);
    }

    [Fact]
    public void A_link_to_a_stopped_container_is_the_links_fault()
    {
        var db1 = Box("db1", "exited") with { Summary = "Exited (0) 2 minutes ago" };
        var web3 = Box("web3", "running", ("bridge", "172.17.0.9")) with { Links = ["/db1:/web3/db"] };
        var bridge = new NetworkView("bridge", "bridge-id", "bridge", false, ["172.17.0.0/16"]);
        var why = Diagnosis.NoAnswer(new EngineView([web3, db1], [bridge]), web3, "172.17.0.250", null, TimeSpan.FromSeconds(1), "the ping", "db", fromHosts: true);
        Assert.Equal(ProbeCause.StaleLink, why.Cause);
        Assert.Equal("'db' comes from a link in /etc/hosts to db1, which is stopped (exited 0, 2 min ago): nothing answers at 172.17.0.250; start it again (Containers[\"db1\"].Start()).", why.Text);
    }

    [Fact]
    public void Resolve_and_Ping_name_a_compose_service_on_another_network_from_its_label()
    {
        static EndpointView On(string net, string ip) => new(net + "-id", ip, []); // a list carries no aliases
        var web = new ContainerView("shop_web_1", "w", "running", "shop_front", new Dictionary<string, EndpointView> { ["shop_front"] = On("shop_front", "172.30.0.2") }) { Service = "web" };
        var db = new ContainerView("shop_db_1", "d", "running", "shop_back", new Dictionary<string, EndpointView> { ["shop_back"] = On("shop_back", "172.31.0.2") }) { Service = "db" };
        var why = Diagnosis.NameFailure(new EngineView([web, db], []), web, ResolvConf.Parse("nameserver 127.0.0.11"), "db", new DnsReply(DnsStatus.NoSuchName, []), TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeCause.NameOnOtherNetwork, why.Cause);
        Assert.StartsWith("'db' is the service alias of shop_db_1 on 'shop_back'; shop_web_1 is only on 'shop_front'", why.Text);
        Assert.Contains("Fix: Networks[\"shop_back\"].Connect(\"shop_web_1\")", why.Text);
    }

    [Fact]
    public void An_explanation_is_a_journal_entry_and_the_report_shows_its_layers()
    {
        var entry = new JournalEntry.Explain(Sample(false));
        Assert.Equal(("explain", false), (entry.Kind, entry.Success));
        Assert.Equal("explain web1 → db:80: not reachable (LoopbackOnly)", entry.Summary);
        Assert.Equal("LoopbackOnly: db1 listens on port 80 only at 127.0.0.1:80.", DockScript.Cli.RunReport.ReasonOf(entry));
    }

    [Fact]
    public async Task The_explain_command_rejects_a_bad_port_and_a_missing_target_as_usage()
    {
        Assert.Equal(64, await DockScript.Cli.Program.Main(["explain", "web1"]));
        Assert.Equal(64, await DockScript.Cli.ExplainCommand.ExplainAsync("web1", "db", 0, false, TextWriter.Null, default));
    }
}
