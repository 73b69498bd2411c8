using System.Net;
using System.Net.Sockets;

namespace MLwatch.IntegrationTests.Support;

/// <summary>Loopback ports that are free right now, so silos under test never collide with each other or a dev silo.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
