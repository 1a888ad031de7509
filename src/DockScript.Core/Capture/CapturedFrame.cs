namespace DockScript;

/// <summary>
/// One frame as captured: an SLL (v1) header, as libpcap writes for <c>-i any</c>, then the packet
/// from its network header on, so frames of every interface share one pcap link type.
/// </summary>
/// <param name="Time">When the kernel saw it.</param>
/// <param name="Interface">The interface's name in the container's namespace.</param>
/// <param name="Bytes">The SLL header and as much of the packet as was kept.</param>
/// <param name="Length">The whole frame's length, SLL header included (more than <c>Bytes</c> when it was cut).</param>
internal sealed record CapturedFrame(DateTimeOffset Time, string Interface, byte[] Bytes, int Length);
