namespace MLwatch.IntegrationTests.Support;

/// <summary>A test's own redis-server on a free loopback port, without persistence: the Orleans membership table.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly ChildProcess _process;

    private RedisServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string logDirectory)
    {
        var port = FreePort.Next();
        ChildProcess process;
        try
        {
            process = ChildProcess.Start(
                "redis-server",
                ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                Path.Combine(logDirectory, "redis.log"),
                logDirectory);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server was not found. Run the test command (eng/test.sh), which installs it, or `apt-get install -y redis-server`.", exception);
        }

        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        return new RedisServer(process, port);
    }

    public void Dispose() => _process.Dispose();
}
