using System.Net;
using System.Net.Sockets;

namespace FlashSale.Server.Tests.Deploy;

/// <summary>Loopback ports nothing listens on (the OS picks them), for tools that cannot be told port 0.</summary>
public static class FreePorts
{
    private static readonly Lock Gate = new();

    /// <summary>A port the OS just gave out and took back.</summary>
    public static int One()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A free port whose Redis Cluster bus port (port + 10000) is free too.</summary>
    public static int WithClusterBus()
    {
        lock (Gate)
        {
            for (var tries = 0; tries < 200; tries++)
            {
                var port = Random.Shared.Next(20_000, 50_000);
                if (IsFree(port) && IsFree(port + 10_000)) return port;
            }

            throw new InvalidOperationException("no free port pair found");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
