namespace DockScript;

/// <summary>How a service's name is answered on its networks.</summary>
public enum EndpointMode
{
    /// <summary>One virtual IP per network; the kernel (IPVS) spreads connections over the tasks.</summary>
    Vip,

    /// <summary>DNS round-robin: the name resolves to every running task's address, no virtual IP.</summary>
    Dnsrr,
}
