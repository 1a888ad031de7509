using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DockScript;

/// <summary>
/// A raw <c>AF_PACKET</c> socket that hears every interface of the namespace it was made in (no
/// bind: all interfaces, those added later too), in cooked form (<c>SOCK_DGRAM</c>: the kernel
/// strips the link header and says in <c>sockaddr_ll</c> where the packet came from), as
/// tcpdump's <c>-i any</c> does. .NET's <see cref="System.Net.Sockets.Socket"/> cannot read
/// <c>sockaddr_ll</c>, so this is libc, read on one dedicated thread that sleeps in
/// <c>poll(2)</c> until a packet or <see cref="Wake"/> arrives.
/// </summary>
internal sealed unsafe partial class PacketSocket : IDisposable
{
    private const int AfPacket = 17;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int EthPAll = 0x0003;
    private const int MsgDontwait = 0x40;
    private const int MsgTrunc = 0x20;
    private const int Eagain = 11;
    private const int Eintr = 4;
    private const short PollIn = 1;
    private const uint Siocgstamp = 0x8906;
    private const uint Siocgifname = 0x8910;
    private const int SolPacket = 263;
    private const int PacketStatistics = 6;
    private const int SolSocket = 1;
    private const int SoRcvbufforce = 33;
    private const int ReceiveBuffer = 8 << 20;
    private const ushort ArphrdLoopback = 772;
    private const byte PacketOutgoing = 4;

    /// <summary>The most of one packet kept: a GRO-merged TCP segment is at most 64 KiB.</summary>
    public const int SnapLength = 65535 + PacketDecoder.SllHeaderLength;

    private readonly int fd;
    private readonly int wake;
    private readonly Dictionary<int, string> names = [];
    private readonly Lock gate = new();
    private bool disposed;

    private PacketSocket(int fd, int wake)
    {
        this.fd = fd;
        this.wake = wake;
    }

    /// <summary>Opens the socket in the calling thread's network namespace: call it on the namespace's thread.</summary>
    /// <exception cref="DockScriptException">The kernel refused (not root, no <c>CAP_NET_RAW</c>).</exception>
    public static PacketSocket Open()
    {
        var fd = Socket(AfPacket, SockDgram | SockCloexec, BinaryPrimitives.ReverseEndianness((ushort)EthPAll));
        if (fd < 0)
        {
            throw new DockScriptException($"Could not open a packet socket ({Marshal.GetLastPInvokeErrorMessage()}); capture needs root (CAP_NET_RAW) on the engine's host.");
        }
        var wake = EventFd(0, SockCloexec);
        if (wake < 0)
        {
            _ = Close(fd);
            throw new DockScriptException($"Could not open an eventfd for the capture ({Marshal.GetLastPInvokeErrorMessage()}).");
        }
        // A deep queue, so a capture thread kept off the CPU for a while (a loaded host) loses nothing:
        // root may exceed net.core.rmem_max (SO_RCVBUFFORCE); otherwise the default stays.
        var depth = ReceiveBuffer;
        _ = SetSockOpt(fd, SolSocket, SoRcvbufforce, &depth, sizeof(int));
        return new PacketSocket(fd, wake);
    }

    /// <summary>
    /// Reads packets until <see cref="Wake"/> is called (then it reads what is already queued, so
    /// nothing that arrived before the stop is lost) or <paramref name="take"/> returns false.
    /// Blocks: run it on a thread of its own. Loopback packets are seen twice by a packet socket
    /// (sent and received); only the received copy is kept, as libpcap does.
    /// </summary>
    public void Run(Func<CapturedFrame, bool> take)
    {
        var buffer = new byte[SnapLength];
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = fd, Events = PollIn };
        fds[1] = new PollFd { Fd = wake, Events = PollIn };
        while (true)
        {
            fds[0].Revents = fds[1].Revents = 0;
            if (Poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Eintr)
                {
                    continue;
                }
                return;
            }
            var stopping = fds[1].Revents != 0;
            if (!Drain(buffer, take) || stopping)
            {
                return;
            }
        }
    }

    /// <summary>Reads every packet queued now; false when reading must end (a limit, or the socket failed).</summary>
    private bool Drain(byte[] buffer, Func<CapturedFrame, bool> take)
    {
        while (true)
        {
            SockaddrLl from;
            var size = sizeof(SockaddrLl);
            nint n;
            fixed (byte* data = &buffer[PacketDecoder.SllHeaderLength])
            {
                n = RecvFrom(fd, data, buffer.Length - PacketDecoder.SllHeaderLength, MsgDontwait | MsgTrunc, &from, &size);
            }
            if (n < 0)
            {
                return Marshal.GetLastPInvokeError() is Eagain or Eintr;
            }
            if (from.HaType == ArphrdLoopback && from.PktType == PacketOutgoing)
            {
                continue;
            }
            var kept = (int)Math.Min(n, buffer.Length - PacketDecoder.SllHeaderLength);
            var bytes = new byte[PacketDecoder.SllHeaderLength + kept];
            WriteSllHeader(bytes, from);
            buffer.AsSpan(PacketDecoder.SllHeaderLength, kept).CopyTo(bytes.AsSpan(PacketDecoder.SllHeaderLength));
            if (!take(new CapturedFrame(StampOfLast(), NameOf(from.IfIndex), bytes, PacketDecoder.SllHeaderLength + (int)n)))
            {
                return false;
            }
        }
    }

    /// <summary>Ends <see cref="Run"/> from any thread.</summary>
    public void Wake()
    {
        // Under the lock, so a wake never writes to a descriptor number that Dispose freed and something else reused.
        lock (gate)
        {
            if (!disposed)
            {
                ulong one = 1;
                _ = Write(wake, &one, sizeof(ulong));
            }
        }
    }

    /// <summary>How many packets the kernel dropped because the socket's queue was full (since the last call).</summary>
    public long Dropped()
    {
        TpacketStats stats;
        var size = sizeof(TpacketStats);
        return GetSockOpt(fd, SolPacket, PacketStatistics, &stats, &size) == 0 ? stats.Drops : 0;
    }

    private static void WriteSllHeader(byte[] bytes, SockaddrLl from)
    {
        var header = bytes.AsSpan(0, PacketDecoder.SllHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(header, from.PktType);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], from.HaType);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], from.HaLen);
        new ReadOnlySpan<byte>(from.Addr, Math.Min((int)from.HaLen, 8)).CopyTo(header[6..14]);
        // sll_protocol is already in network order.
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], from.Protocol);
    }

    /// <summary>The kernel's receive time of the last packet read.</summary>
    private DateTimeOffset StampOfLast()
    {
        TimeVal tv;
        return Ioctl(fd, Siocgstamp, &tv) == 0
            ? DateTimeOffset.FromUnixTimeSeconds(tv.Seconds).AddTicks(tv.Microseconds * 10)
            : DateTimeOffset.UtcNow;
    }

    /// <summary>The interface's name, asked of the kernel through this socket (so in its namespace) once per index.</summary>
    private string NameOf(int index)
    {
        if (names.TryGetValue(index, out var name))
        {
            return name;
        }
        IfReq request;
        request.IfIndex = index;
        name = Ioctl(fd, Siocgifname, &request) == 0
            ? Marshal.PtrToStringAnsi((nint)request.Name) ?? $"if{index}"
            : $"if{index}";
        names[index] = name;
        return name;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                _ = Close(fd);
                _ = Close(wake);
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrLl
    {
        public ushort Family;
        public ushort Protocol;
        public int IfIndex;
        public ushort HaType;
        public byte PktType;
        public byte HaLen;
        public fixed byte Addr[8];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private struct IfReq
    {
        public fixed byte Name[16];
        public int IfIndex;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TpacketStats
    {
        public uint Packets;
        public uint Drops;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, ulong count, int timeout);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint RecvFrom(int fd, byte* buffer, nint length, int flags, SockaddrLl* from, int* fromLength);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, void* value, int* length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
