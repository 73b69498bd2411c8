using System.Net;
using System.Net.Sockets;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// Ports for servers under test (silos, APIs, brokers, Redis, Prometheus), free when handed out. They come from below
/// the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768–60999 by default), never from port 0: the kernel
/// gives ephemeral ports to every outgoing connection (Kafka clients, HTTP, Orleans), so a port picked with port 0 and
/// released could become a client's local port before the server under test bound it ("address already in use" in a
/// CI run). Each test process hands a port out once, starting at a random place so that processes running side by side
/// rarely meet, and checks it is free on every address first.
/// </summary>
internal static class FreePort
{
    private const int First = 20000;
    private const int Count = 10000; // 20000–29999: below the ephemeral range, clear of Orleans' 11111 and 30000
    private static readonly int Start = Random.Shared.Next(Count);
    private static int _handedOut = -1;

    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + ((Start + Interlocked.Increment(ref _handedOut)) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free TCP port in {First}–{First + Count - 1}: something holds them all, or this test process used them up.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
