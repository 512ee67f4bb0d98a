using System.Net;
using System.Net.Sockets;
using System.Text;
using TeachOS.Tests.Integration.Harness;
using Xunit;

namespace TeachOS.Tests.Integration;

/// <summary>
/// Sockets between TeachOS and this host, through QEMU's user-mode network: the guest reaches the
/// host's 127.0.0.1 as 10.0.2.2, and a port forwarded with hostfwd lets the host reach a server in the
/// guest. Each test's host side is bounded in time and in connections; the guest's sockets are
/// TeachOS's own nc and httpd, typed at the shell as a student would.
/// </summary>
public class SocketTests
{
    private const int HostTimeoutSeconds = 90;

    private static BootResult Session(string input) =>
        Qemu.BootWithInput("", input, timeoutSeconds: 120).AssertLogDoesNotContain("KERNEL PANIC");

    [Fact]
    public void TcpEchoWithAServerOnTheHost()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string received = null;
        Task server = Task.Run(async () =>
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(HostTimeoutSeconds));
            using TcpClient client = await listener.AcceptTcpClientAsync(cancel.Token);
            NetworkStream stream = client.GetStream();
            var bytes = new MemoryStream();
            var buffer = new byte[1024];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancel.Token)) > 0) bytes.Write(buffer, 0, n);   // until the guest's FIN
            received = Encoding.ASCII.GetString(bytes.ToArray());
            byte[] answer = Encoding.ASCII.GetBytes(received.ToUpperInvariant());
            await stream.WriteAsync(answer, cancel.Token);
        });

        BootResult boot = Session($"echo tcp-from-teachos | nc 10.0.2.2 {port}\nexit\n");
        listener.Stop();
        Assert.True(server.Wait(TimeSpan.FromSeconds(10)), "the host's server did not finish");
        Assert.Equal("tcp-from-teachos\n", received);
        boot.AssertStatus(0).AssertLogMatches(@"^TCP-FROM-TEACHOS$");
    }

    [Fact]
    public void UdpEchoWithAServerOnTheHost()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        string received = null;
        Task server = Task.Run(async () =>
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(HostTimeoutSeconds));
            UdpReceiveResult datagram = await udp.ReceiveAsync(cancel.Token);
            received = Encoding.ASCII.GetString(datagram.Buffer);
            await udp.SendAsync(Encoding.ASCII.GetBytes(received.ToUpperInvariant()), datagram.RemoteEndPoint, cancel.Token);
        });

        BootResult boot = Session($"echo udp-from-teachos | nc -u -q 2 10.0.2.2 {port}\nexit\n");
        Assert.True(server.Wait(TimeSpan.FromSeconds(10)), "the host's server got no datagram");
        Assert.Equal("udp-from-teachos\n", received);
        boot.AssertStatus(0).AssertLogMatches(@"^UDP-FROM-TEACHOS$");
    }

    [Fact]
    public void HttpdServesTheHostThroughAForwardedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int hostPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Task<BootResult> boot = Task.Run(() => Qemu.BootWithForwards("", "httpd -n 3 8080\nexit\n", new[] { $"{hostPort}:8080" }, timeoutSeconds: 120));

        // Until httpd listens, QEMU takes the host's connection and the guest refuses it: try again.
        string index = null;
        var deadline = DateTime.UtcNow.AddSeconds(HostTimeoutSeconds);
        while (index == null && DateTime.UtcNow < deadline && !boot.IsCompleted)
        {
            index = Fetch(hostPort, "GET / HTTP/1.0\r\n\r\n");
            if (index == null || !index.StartsWith("HTTP/1.0 200")) { index = null; Thread.Sleep(500); }
        }
        Assert.NotNull(index);
        Assert.Contains("Hello from TeachOS", index);
        Assert.StartsWith("HTTP/1.0 404", Fetch(hostPort, "GET /no-such-page HTTP/1.0\r\n\r\n"));
        Assert.StartsWith("HTTP/1.0 403", Fetch(hostPort, "GET /../etc/passwd HTTP/1.0\r\n\r\n"));   // raw: a client library would drop the ".."
        Assert.True(boot.Wait(TimeSpan.FromSeconds(60)), "httpd did not stop after three requests");
        boot.Result.AssertStatus(0).AssertLogDoesNotContain("KERNEL PANIC")
            .AssertLogMatches(@"^10\.0\.2\.2 ""GET / HTTP/1\.0"" 200$")
            .AssertLogMatches(@"""GET /\.\./etc/passwd HTTP/1\.0"" 403$");
    }

    // One request on a new connection; the whole answer, or null when the connection failed or was cut.
    private static string Fetch(int port, string request)
    {
        try
        {
            using var client = new TcpClient();
            client.ReceiveTimeout = 20000;
            client.Connect(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();
            stream.Write(Encoding.ASCII.GetBytes(request));
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.Length == 0 ? null : Encoding.ASCII.GetString(bytes.ToArray());
        }
        catch (Exception e) when (e is SocketException or IOException) { return null; }
    }
}
