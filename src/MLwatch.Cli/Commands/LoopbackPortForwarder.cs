using System.Net;
using System.Net.Sockets;

namespace MLwatch.Cli.Commands;

/// <summary>
/// Forwards a fixed loopback port to the embedded broker, whose own port is chosen by librdkafka. Clients only
/// bootstrap through it: broker metadata then points them at the broker's real address. Hand-written because no
/// served package offers a TCP relay, and librdkafka's mock cluster cannot be told which port to listen on.
/// </summary>
public sealed class LoopbackPortForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    private LoopbackPortForwarder(TcpListener listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static LoopbackPortForwarder Start(int port, string bootstrapServers)
    {
        var first = bootstrapServers.Split(',')[0];
        var target = IPEndPoint.Parse(first);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new LoopbackPortForwarder(listener, target);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target, _stopping.Token);
                var inbound = client.GetStream();
                var outbound = upstream.GetStream();
                await Task.WhenAny(inbound.CopyToAsync(outbound, _stopping.Token), outbound.CopyToAsync(inbound, _stopping.Token));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                // A closed connection on either side ends the relay.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stopping.Dispose();
    }
}
