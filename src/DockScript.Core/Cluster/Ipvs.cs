namespace DockScript;

/// <summary>
/// Whether this machine's kernel balances a Swarm service's virtual IP. The VIP (and the routing
/// mesh) is IPVS in the kernel; without it the VIP takes the connection and nothing answers
/// ("No route to host"). The nested nodes share this kernel, so the host's answer is theirs.
/// </summary>
internal static class Ipvs
{
    /// <summary>True when the kernel has IPVS loaded (<c>/proc/net/ip_vs</c> exists).</summary>
    public static bool Available => File.Exists("/proc/net/ip_vs") || Directory.Exists("/sys/module/ip_vs");

    /// <summary>The doctor's line.</summary>
    public static string Describe() => Available
        ? "the kernel has IPVS: a Swarm service's virtual IP and the routing mesh work"
        : "the kernel has no IPVS (no /proc/net/ip_vs): a Swarm service's virtual IP will not answer; use endpointMode: EndpointMode.Dnsrr or the task addresses";

    /// <summary>Why a probe to a VIP failed here.</summary>
    public static string VipReason(string service, string address) =>
        $"{address} is the virtual IP of the service {service}, and this kernel has no IPVS to balance it (no /proc/net/ip_vs), so nothing answers there; create the service with endpointMode: EndpointMode.Dnsrr, or use its task addresses (tasks.{service}).";
}
