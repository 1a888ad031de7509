using System.Diagnostics;

namespace DockScript.Tests;

public class ProcNetTests
{
    private static NetInterface Find(IReadOnlyList<NetInterface> interfaces, string name) =>
        Assert.Single(interfaces, i => i.Name == name);

    [Fact]
    public void Host_interfaces_come_in_proc_net_dev_order()
    {
        var interfaces = ProcNet.ParseInterfaces(ProcNetSamples.Host());

        Assert.Equal(["lo", "eth0", "docker0"], interfaces.Select(i => i.Name));
    }

    [Fact]
    public void Host_IPv4_addresses_get_device_and_prefix_from_the_connected_route_and_appear_once()
    {
        var interfaces = ProcNet.ParseInterfaces(ProcNetSamples.Host());

        Assert.Equal(["127.0.0.1/8"], Find(interfaces, "lo").IPv4);
        Assert.Equal(["192.0.2.2/24"], Find(interfaces, "eth0").IPv4);
        Assert.Equal(["172.17.0.1/16"], Find(interfaces, "docker0").IPv4);
    }

    [Fact]
    public void Host_IPv6_addresses_are_compressed_with_their_prefix()
    {
        var interfaces = ProcNet.ParseInterfaces(ProcNetSamples.Host());

        Assert.Equal(["::1/128"], Find(interfaces, "lo").IPv6);
        Assert.Equal(["fe80::fc:ff:fe00:1/64", "fd00::2/64"], Find(interfaces, "eth0").IPv6);
        Assert.Empty(Find(interfaces, "docker0").IPv6);
    }

    [Fact]
    public void Host_counters_come_from_the_receive_and_transmit_columns()
    {
        var eth0 = Find(ProcNet.ParseInterfaces(ProcNetSamples.Host()), "eth0");

        Assert.Equal((103056467UL, 2192UL, 100347UL, 1268UL), (eth0.RxBytes, eth0.RxPackets, eth0.TxBytes, eth0.TxPackets));
    }

    [Fact]
    public void Sys_files_give_mac_mtu_and_state_and_unknown_on_lo_counts_as_up()
    {
        var interfaces = ProcNet.ParseInterfaces(ProcNetSamples.Host());

        var eth0 = Find(interfaces, "eth0");
        Assert.Equal(("02:fc:00:00:00:01", 1400, true), (eth0.MacAddress, eth0.Mtu, eth0.IsUp));
        Assert.False(Find(interfaces, "docker0").IsUp);
        Assert.True(Find(interfaces, "lo").IsUp);
        Assert.Equal(65536, Find(interfaces, "lo").Mtu);
    }

    [Fact]
    public void Unknown_operstate_on_a_device_other_than_lo_is_null()
    {
        var files = ProcNetSamples.Host();
        files["/sys/class/net/eth0/operstate"] = "unknown\n";

        Assert.Null(Find(ProcNet.ParseInterfaces(files), "eth0").IsUp);
    }

    [Fact]
    public void Container_eth0_prints_as_one_readable_line()
    {
        var interfaces = ProcNet.ParseInterfaces(ProcNet.ParseDump(ProcNetSamples.ContainerDump));

        Assert.Equal(["lo", "eth0"], interfaces.Select(i => i.Name));
        Assert.Equal(
            "eth0  172.17.0.2/16  02:42:ac:11:00:02  mtu 1500  up  rx 1.2 KB tx 656 B",
            Find(interfaces, "eth0").ToString());
        Assert.Equal(["fe80::42:acff:fe11:2/64"], Find(interfaces, "eth0").IPv6);
    }

    [Fact]
    public void Network_none_container_has_only_loopback()
    {
        var interfaces = ProcNet.ParseInterfaces(ProcNet.ParseDump(ProcNetSamples.NoneDump));

        var lo = Assert.Single(interfaces);
        Assert.Equal("lo  127.0.0.1/8 ::1/128  00:00:00:00:00:00  mtu 65536  up  rx 0 B tx 0 B", lo.ToString());
    }

    [Fact]
    public void Only_proc_net_dev_gives_interfaces_with_nulls_and_no_addresses()
    {
        var interfaces = ProcNet.ParseInterfaces(new Dictionary<string, string> { ["/proc/net/dev"] = ProcNetSamples.HostDev });

        var eth0 = Find(interfaces, "eth0");
        Assert.Null(eth0.MacAddress);
        Assert.Null(eth0.Mtu);
        Assert.Null(eth0.IsUp);
        Assert.Empty(eth0.IPv4);
        Assert.Empty(eth0.IPv6);
        Assert.Equal("eth0  rx 98.3 MB tx 98.0 KB", eth0.ToString());
    }

    [Fact]
    public void Missing_proc_net_dev_is_an_error_that_names_the_file()
    {
        var files = ProcNetSamples.Host();
        files.Remove("/proc/net/dev");

        var error = Assert.Throws<ArgumentException>(() => ProcNet.ParseInterfaces(files));
        Assert.Contains("/proc/net/dev", error.Message);
    }

    [Fact]
    public void Garbage_in_every_file_is_ignored()
    {
        var files = new Dictionary<string, string>
        {
            ["/proc/net/dev"] = "garbage\n  eth0: not numbers at all\n" + ProcNetSamples.HostDev + "x:1 2\n",
            ["/proc/net/fib_trie"] = "|-- not.an.ip\n   /32 host LOCAL\n|--\n/32\n" + ProcNetSamples.HostFibTrie,
            ["/proc/net/route"] = "eth0 ZZZZZZZZ 0 0001 0 0 0 00FFFFFF\n" + ProcNetSamples.HostRoute,
            ["/proc/net/if_inet6"] = "abc 01 80 10 80 lo\n" + new string('z', 32) + " 01 80 10 80 lo\n" + ProcNetSamples.HostIfInet6,
            ["/sys/class/net/eth0/mtu"] = "lots\n",
        };

        var interfaces = ProcNet.ParseInterfaces(files);

        Assert.Equal(["lo", "eth0", "docker0"], interfaces.Select(i => i.Name));
        Assert.Equal(["192.0.2.2/24"], Find(interfaces, "eth0").IPv4);
        Assert.Equal(["::1/128"], Find(interfaces, "lo").IPv6);
        Assert.Null(Find(interfaces, "eth0").Mtu);
    }

    [Fact]
    public void An_address_covered_only_by_the_default_route_is_not_guessed_onto_a_device()
    {
        var files = new Dictionary<string, string>
        {
            ["/proc/net/dev"] = "  eth0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n",
            ["/proc/net/fib_trie"] = "Local:\n  |-- 10.9.9.9\n     /32 host LOCAL\n",
            ["/proc/net/route"] = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\n",
        };

        Assert.Empty(Find(ProcNet.ParseInterfaces(files), "eth0").IPv4);
    }

    [Fact]
    public void The_most_specific_connected_route_decides_device_and_prefix()
    {
        var files = new Dictionary<string, string>
        {
            ["/proc/net/dev"] = "eth0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\neth1: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n",
            ["/proc/net/fib_trie"] = "|-- 10.1.0.5\n   /32 host LOCAL\n|-- 10.2.0.5\n   /32 host LOCAL\n",
            // 10.0.0.0/8 on eth1, 10.1.0.0/16 on eth0.
            ["/proc/net/route"] = "eth1\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\neth0\t0000010A\t00000000\t0001\t0\t0\t0\t0000FFFF\n",
        };

        var interfaces = ProcNet.ParseInterfaces(files);

        Assert.Equal(["10.1.0.5/16"], Find(interfaces, "eth0").IPv4);
        Assert.Equal(["10.2.0.5/8"], Find(interfaces, "eth1").IPv4);
    }

    [Fact]
    public void Counters_that_touch_the_colon_still_parse()
    {
        var files = new Dictionary<string, string>
        {
            ["/proc/net/dev"] = "  eth0:1234567890 15 0 0 0 0 0 0 656 8 0 0 0 0 0 0\n",
        };

        var eth0 = Assert.Single(ProcNet.ParseInterfaces(files));
        Assert.Equal(1234567890UL, eth0.RxBytes);
    }

    [Fact]
    public void Keys_read_from_the_host_under_proc_pid_net_are_accepted()
    {
        var files = new Dictionary<string, string>
        {
            ["/proc/4242/net/dev"] = ProcNetSamples.HostDev,
            ["/proc/4242/net/fib_trie"] = ProcNetSamples.HostFibTrie,
            ["/proc/4242/net/route"] = ProcNetSamples.HostRoute,
        };

        Assert.Equal(["192.0.2.2/24"], Find(ProcNet.ParseInterfaces(files), "eth0").IPv4);
    }

    [Fact]
    public void Interfaces_compare_by_value_even_with_different_list_instances()
    {
        var a = new NetInterface("eth0", null, 1500, true, ["172.17.0.2/16"], [], 1, 2, 3, 4);
        var b = new NetInterface("eth0", null, 1500, true, new List<string> { "172.17.0.2/16" }, new List<string>(), 1, 2, 3, 4);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { IPv4 = ["172.17.0.3/16"] });
    }

    [Fact]
    public void ParseDump_splits_files_at_markers_and_ignores_text_before_the_first()
    {
        var files = ProcNet.ParseDump("sh: warning\n" + ProcNetSamples.ContainerDump.Replace("\n", "\r\n"));

        Assert.Equal(10, files.Count);
        Assert.Equal("1500\n", files["/sys/class/net/eth0/mtu"]);
        Assert.Equal("unknown\n", files["/sys/class/net/lo/operstate"]);
        Assert.StartsWith("Inter-|", files["/proc/net/dev"]);
        Assert.EndsWith("656       8    0    0    0     0       0          0\n", files["/proc/net/dev"]);
        Assert.DoesNotContain("\r", files["/proc/net/route"]);
    }

    [Fact]
    public void ParseDump_keeps_a_file_that_lacked_a_final_newline_and_an_empty_file()
    {
        var files = ProcNet.ParseDump("@@@ /sys/class/net/tun0/address\n\n@@@ /sys/class/net/tun0/mtu\n1420\n@@@ /x\n");

        Assert.Equal("", files["/sys/class/net/tun0/address"]);
        Assert.Equal("1420\n", files["/sys/class/net/tun0/mtu"]);
        Assert.Equal("", files["/x"]);
    }

    [Fact]
    public void DumpScript_run_by_this_hosts_sh_yields_loopback()
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ProcNet.DumpScript);
        using var sh = Process.Start(start)!;
        var stdout = sh.StandardOutput.ReadToEnd();
        var stderr = sh.StandardError.ReadToEnd();
        sh.WaitForExit();

        Assert.Equal(0, sh.ExitCode);
        Assert.Equal("", stderr);
        var files = ProcNet.ParseDump(stdout);
        Assert.Contains("/proc/net/dev", files.Keys);
        var lo = Assert.Single(ProcNet.ParseInterfaces(files), i => i.Name == "lo");
        Assert.Contains("127.0.0.1/8", lo.IPv4);
        Assert.True(lo.IsUp);
    }
}

public sealed class ProcNetListenTests
{
    private const string Table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
           1: 0200A8C0:0051 0300A8C0:1F90 01 00000000:00000000 00:00000000 00000000     0        0 12346 1 0000000000000000 100 0 0 10 0
        """;

    [Fact]
    public void A_listening_socket_is_found_by_port()
    {
        Assert.True(ProcNet.Listens(Table, 80));
        Assert.False(ProcNet.Listens(Table, 81));   // established, not listening
        Assert.False(ProcNet.Listens(Table, 8080));
        Assert.False(ProcNet.Listens("", 80));
    }

    [Fact]
    public void A_dual_stack_listener_is_found_in_tcp6()
    {
        const string both = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5055572 1 00000000da5a835e 100 0 0 10 0
            """;
        Assert.True(ProcNet.Listens(both, 80));
        Assert.False(ProcNet.Listens(both, 443));
    }
}
