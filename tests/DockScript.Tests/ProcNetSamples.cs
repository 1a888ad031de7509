namespace DockScript.Tests;

/// <summary>
/// /proc/net and /sys/class/net contents. The host sample is trimmed from a real Linux host with a docker0 bridge;
/// the container samples follow the same kernel format for a default-bridge container and a --network none one.
/// </summary>
internal static class ProcNetSamples
{
    public const string HostDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
          eth0: 103056467    2192    0    0    0     0          0         0   100347    1268    0    0    0     0       0          0
        docker0:       0       0    0    0    0     0          0         0        0       0    0    2    0     0       0          0

        """;

    // Main and Local print the same trie on current kernels, so every address appears twice.
    public const string HostFibTrie = """
        Main:
          +-- 0.0.0.0/0 3 0 4
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
                |-- 127.255.255.255
                   /32 link BROADCAST
             +-- 172.17.0.0/16 2 0 2
                +-- 172.17.0.0/31 1 0 0
                   |-- 172.17.0.0
                      /16 link UNICAST
                   |-- 172.17.0.1
                      /32 host LOCAL
                |-- 172.17.255.255
                   /32 link BROADCAST
             +-- 192.0.2.0/24 2 0 2
                +-- 192.0.2.0/30 2 0 2
                   |-- 192.0.2.0
                      /24 link UNICAST
                   |-- 192.0.2.2
                      /32 host LOCAL
                |-- 192.0.2.255
                   /32 link BROADCAST
        Local:
          +-- 0.0.0.0/0 3 0 4
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
                |-- 127.255.255.255
                   /32 link BROADCAST
             +-- 172.17.0.0/16 2 0 2
                +-- 172.17.0.0/31 1 0 0
                   |-- 172.17.0.0
                      /16 link UNICAST
                   |-- 172.17.0.1
                      /32 host LOCAL
                |-- 172.17.255.255
                   /32 link BROADCAST
             +-- 192.0.2.0/24 2 0 2
                +-- 192.0.2.0/30 2 0 2
                   |-- 192.0.2.0
                      /24 link UNICAST
                   |-- 192.0.2.2
                      /32 host LOCAL
                |-- 192.0.2.255
                   /32 link BROADCAST

        """;

    // The kernel pads every line with spaces to 127 characters; two lines keep that padding here.
    public const string HostRoute =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT                                                       \n"
        + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0                                                                               \n"
        + "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
        + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    public const string HostIfInet6 = """
        00000000000000000000000000000001 01 80 10 80       lo
        fe8000000000000000fc00fffe000001 04 40 20 80     eth0
        fd000000000000000000000000000002 04 40 00 82     eth0

        """;

    public static Dictionary<string, string> Host() => new()
    {
        ["/proc/net/dev"] = HostDev,
        ["/proc/net/fib_trie"] = HostFibTrie,
        ["/proc/net/route"] = HostRoute,
        ["/proc/net/if_inet6"] = HostIfInet6,
        ["/sys/class/net/lo/address"] = "00:00:00:00:00:00\n",
        ["/sys/class/net/lo/mtu"] = "65536\n",
        ["/sys/class/net/lo/operstate"] = "unknown\n",
        ["/sys/class/net/eth0/address"] = "02:fc:00:00:00:01\n",
        ["/sys/class/net/eth0/mtu"] = "1400\n",
        ["/sys/class/net/eth0/operstate"] = "up\n",
        ["/sys/class/net/docker0/address"] = "02:42:90:12:20:45\n",
        ["/sys/class/net/docker0/mtu"] = "1500\n",
        ["/sys/class/net/docker0/operstate"] = "down\n",
    };

    /// <summary>What <see cref="ProcNet.DumpScript"/> prints inside a container on the default bridge.</summary>
    public const string ContainerDump = """
        @@@ /proc/net/dev
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
          eth0:    1256      15    0    0    0     0          0         0      656       8    0    0    0     0       0          0

        @@@ /proc/net/fib_trie
        Main:
          +-- 0.0.0.0/0 3 0 5
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
                |-- 127.255.255.255
                   /32 link BROADCAST
             +-- 172.17.0.0/16 2 0 2
                +-- 172.17.0.0/30 2 0 2
                   |-- 172.17.0.0
                      /16 link UNICAST
                   |-- 172.17.0.2
                      /32 host LOCAL
                |-- 172.17.255.255
                   /32 link BROADCAST
        Local:
          +-- 0.0.0.0/0 3 0 5
             |-- 0.0.0.0
                /0 universe UNICAST
             +-- 127.0.0.0/8 2 0 2
                +-- 127.0.0.0/31 1 0 0
                   |-- 127.0.0.0
                      /8 host LOCAL
                   |-- 127.0.0.1
                      /32 host LOCAL
                |-- 127.255.255.255
                   /32 link BROADCAST
             +-- 172.17.0.0/16 2 0 2
                +-- 172.17.0.0/30 2 0 2
                   |-- 172.17.0.0
                      /16 link UNICAST
                   |-- 172.17.0.2
                      /32 host LOCAL
                |-- 172.17.255.255
                   /32 link BROADCAST

        @@@ /proc/net/route
        Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
        eth0	00000000	010011AC	0003	0	0	0	00000000	0	0	0
        eth0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0

        @@@ /proc/net/if_inet6
        00000000000000000000000000000001 01 80 10 80       lo
        fe800000000000000042acfffe110002 2c 40 20 80     eth0

        @@@ /sys/class/net/eth0/address
        02:42:ac:11:00:02

        @@@ /sys/class/net/lo/address
        00:00:00:00:00:00

        @@@ /sys/class/net/eth0/mtu
        1500

        @@@ /sys/class/net/lo/mtu
        65536

        @@@ /sys/class/net/eth0/operstate
        up

        @@@ /sys/class/net/lo/operstate
        unknown

        """;

    /// <summary>What <see cref="ProcNet.DumpScript"/> prints inside a <c>--network none</c> container: loopback only.</summary>
    public const string NoneDump = """
        @@@ /proc/net/dev
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0

        @@@ /proc/net/fib_trie
        Main:
          +-- 127.0.0.0/8 2 0 2
             +-- 127.0.0.0/31 1 0 0
                |-- 127.0.0.0
                   /8 host LOCAL
                |-- 127.0.0.1
                   /32 host LOCAL
             |-- 127.255.255.255
                /32 link BROADCAST
        Local:
          +-- 127.0.0.0/8 2 0 2
             +-- 127.0.0.0/31 1 0 0
                |-- 127.0.0.0
                   /8 host LOCAL
                |-- 127.0.0.1
                   /32 host LOCAL
             |-- 127.255.255.255
                /32 link BROADCAST

        @@@ /proc/net/route
        Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT

        @@@ /proc/net/if_inet6
        00000000000000000000000000000001 01 80 10 80       lo

        @@@ /sys/class/net/lo/address
        00:00:00:00:00:00

        @@@ /sys/class/net/lo/mtu
        65536

        @@@ /sys/class/net/lo/operstate
        unknown

        """;
}
