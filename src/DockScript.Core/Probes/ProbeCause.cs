namespace DockScript;

/// <summary>
/// Why a probe failed, as a kind a script can branch on; the result's <c>Reason</c> says the same
/// in words, with names and the fix.
/// </summary>
/// <example><code>Ping(web1, "nginx2").Cause == ProbeCause.DefaultBridgeHasNoNames</code></example>
public enum ProbeCause
{
    /// <summary>Nothing went wrong.</summary>
    None,

    /// <summary>The source container is not running, so nothing could be sent.</summary>
    SourceNotRunning,

    /// <summary>The source is on the <c>none</c> network: loopback only.</summary>
    SourceIsolated,

    /// <summary>The target container is not running.</summary>
    TargetNotRunning,

    /// <summary>The target is on the <c>none</c> network: nothing can reach it.</summary>
    TargetIsolated,

    /// <summary>Source and target share no network.</summary>
    NoSharedNetwork,

    /// <summary>The target container has no address of its own (the host network, say).</summary>
    NoAddress,

    /// <summary>A name was asked on the default bridge network, which resolves no container names.</summary>
    DefaultBridgeHasNoNames,

    /// <summary>No hosts entry and no nameserver knows the name.</summary>
    UnknownName,

    /// <summary>The address answered, but nothing listens on the port.</summary>
    Refused,

    /// <summary>An internal network: Docker drops traffic to addresses outside it.</summary>
    InternalNetwork,

    /// <summary>No running container holds the address on a network the source is on (it left, or never was).</summary>
    AddressVacant,

    /// <summary>No reply within the timeout, and the engine's state shows no reason why.</summary>
    NoAnswer,

    /// <summary>An HTTP response came, with a status of 400 or more.</summary>
    HttpError,

    /// <summary>Something answered on the port, but not with HTTP.</summary>
    NotHttp,

    /// <summary>The target was removed: the address or name belonged to a container that no longer exists.</summary>
    TargetRemoved,

    /// <summary>A link or hosts entry points at a container that is stopped or gone.</summary>
    StaleLink,

    /// <summary>The name is known, but only on a network the source is not on (an alias, a compose service, a container name).</summary>
    NameOnOtherNetwork,

    /// <summary>The server in the target listens only on 127.0.0.1: reachable from inside the target alone.</summary>
    LoopbackOnly,

    /// <summary>The shared network has inter-container communication off (<c>enable_icc=false</c>).</summary>
    IccDisabled,

    /// <summary>A rule in the <c>DOCKER-USER</c> chain drops or rejects the traffic.</summary>
    FirewallRule,

    /// <summary>A published port reached through the host's address from a container (hairpin), and that way is closed.</summary>
    Hairpin,

    /// <summary>The target is a Swarm service's virtual IP, and this kernel has no IPVS to balance it: use <c>EndpointMode.Dnsrr</c> or the task addresses.</summary>
    VipWithoutIpvs,

    /// <summary>The overlay was created without <c>attachable: true</c>: only service tasks join it, plain containers cannot.</summary>
    OverlayNotAttachable,

    /// <summary>One end runs on an engine that is not a node of the cluster's Swarm, so no overlay reaches it.</summary>
    NodeOutsideSwarm,

    /// <summary>The name (or <c>tasks.name</c>) is a Swarm service with no running task: nothing can answer for it.</summary>
    NoRunningTask,

    /// <summary>The target ran on a cluster node that is down (its engine stopped answering the Swarm).</summary>
    NodeDown,

    /// <summary>A firewall rule on a node drops VXLAN (UDP 4789), which carries every overlay packet between nodes.</summary>
    VxlanBlocked,

    /// <summary>A firewall rule on a node drops the gossip ports (7946): nodes do not learn where the other nodes' containers are.</summary>
    GossipBlocked,

    /// <summary>The name is a service or container on another overlay, one the source is not attached to.</summary>
    NameOnOtherOverlay,
}
