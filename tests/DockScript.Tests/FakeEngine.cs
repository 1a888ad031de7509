using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DockScript.Tests;

/// <summary>
/// A stand-in for a Swarm manager's API on loopback: it answers <c>/version</c> and
/// <c>/nodes</c> (a one-node Swarm) and records every other request, so a unit test can prove
/// that DockScript asked nothing of an engine it must leave alone. No engine, no container.
/// </summary>
internal sealed class FakeEngine : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;

    public FakeEngine()
    {
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>Every request but the version and node listing: "POST /v1.47/services/create".</summary>
    public ConcurrentQueue<string> Others { get; } = new();

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ConnectionAsync(client));
        }
    }

    private async Task ConnectionAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII, false, 1, leaveOpen: true);
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { Length: > 0 } request)
                {
                    var length = 0;
                    while (await reader.ReadLineAsync(stop.Token) is { Length: > 0 } header)
                    {
                        if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        {
                            length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                    var body = new char[length];
                    for (var read = 0; read < length;)
                    {
                        read += await reader.ReadAsync(body.AsMemory(read, length - read), stop.Token);
                    }
                    var parts = request.Split(' ');
                    var path = parts[1].Split('?')[0];
                    var (status, json) = path.EndsWith("/version", StringComparison.Ordinal) || path == "/version"
                        ? (200, """{"Version":"27.5.1","ApiVersion":"1.47","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""")
                        : path.EndsWith("/nodes", StringComparison.Ordinal) && parts[0] == "GET"
                            ? (200, """[{"ID":"n1","Description":{"Hostname":"fake-1"},"Spec":{"Role":"manager"},"Status":{"State":"ready","Addr":"127.0.0.1"}}]""")
                            : Other($"{parts[0]} {path}");
                    var bytes = Encoding.UTF8.GetBytes(json);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nApi-Version: 1.47\r\nContent-Length: {bytes.Length}\r\n\r\n");
                    await stream.WriteAsync(head, stop.Token);
                    await stream.WriteAsync(bytes, stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private (int, string) Other(string request)
    {
        Others.Enqueue(request);
        return (404, """{"message":"the fake engine has no such thing"}""");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await serving;
        stop.Dispose();
    }
}
