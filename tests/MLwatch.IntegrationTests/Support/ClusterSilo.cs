using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// One `mlwatch silo --config silo-config/cluster.json` process of a <see cref="ClusterUnderTest"/>, on its own ports.
/// It can be SIGKILLed and started again on the same ports (a new silo generation), or frozen (SIGSTOP) and thawed.
/// On a <see cref="NamespaceHost"/> (<see cref="ClusterAcrossHosts"/>) it runs there instead, advertising and listening
/// on the host's address with the profile's standard silo and gateway ports, its API on port 5080 of that address.
/// </summary>
internal sealed class ClusterSilo : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logDirectory;
    private readonly NamespaceHost? _host;
    private ChildProcess? _process;
    private int _starts;

    public ClusterSilo(string name, IReadOnlyDictionary<string, string> clusterEnvironment, string logDirectory, NamespaceHost? host = null)
    {
        Name = name;
        _logDirectory = logDirectory;
        _host = host;
        // On a host of its own the profile's ports (11111, 30000, API 5080) are free, as on a machine of its own.
        SiloPort = host is null ? FreePort.Next() : 11111;
        var api = host is null ? $"http://127.0.0.1:{FreePort.Next()}" : $"http://{host.Address}:5080";
        _environment = new Dictionary<string, string>(clusterEnvironment)
        {
            ["MLWATCH__Cluster__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture),
            ["MLWATCH__Cluster__GatewayPort"] = (host is null ? FreePort.Next() : 30000).ToString(CultureInfo.InvariantCulture),
            ["MLWATCH__Cluster__AdvertisedIPAddress"] = host?.Address.ToString() ?? "127.0.0.1",
            ["MLWATCH__Api__Urls"] = api,
        };
        Api = new HttpClient { BaseAddress = new Uri($"{api}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    public int SiloPort { get; }

    public HttpClient Api { get; }

    /// <summary>Started, answering, and not killed since.</summary>
    public bool IsUp { get; private set; }

    /// <summary>This silo's address (with its generation) as /api/cluster shows it, from its latest start.</summary>
    public string? Address { get; private set; }

    /// <summary>Starts the process and waits until its API answers (Orleans has joined the cluster by then).</summary>
    public async Task StartAsync()
    {
        _starts++;
        string[] arguments = ["silo", "--config", "silo-config/cluster.json"];
        var log = $"{Name}-{_starts}.log";
        _process = _host is null
            ? ChildProcess.StartMlwatch(arguments, Path.Combine(_logDirectory, log), _environment)
            : _host.StartMlwatch(arguments, log, _environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                if (await TryGetClusterAsync() is { } view && view.FirstOrDefault(s => s.IsThisSilo) is { } self)
                {
                    Address = self.Address;
                    IsUp = true;
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Silo {Name} did not start; see {_process.LogPath}.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL.</summary>
    public void Kill()
    {
        IsUp = false;
        _process?.Kill();
    }

    /// <summary>SIGSTOP: the silo hangs with its sockets open. It is not <see cref="IsUp"/> until thawed (its API would not answer).</summary>
    public void Freeze()
    {
        IsUp = false;
        _process!.Freeze();
    }

    /// <summary>SIGCONT. <paramref name="isUp"/>: whether it is expected to carry on as a member (a short pause).</summary>
    public void Thaw(bool isUp)
    {
        _process!.Thaw();
        IsUp = isUp;
    }

    /// <summary>Waits until the process exits on its own (a silo that finds itself declared dead stops); false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout) => await _process!.WaitForExitAsync(timeout);

    /// <summary>The exit code of the process that exited.</summary>
    public int ExitCode => _process!.ExitCode;

    /// <summary>Predictions counted over all labels (the sum of label counts), or null when the silo cannot answer now.</summary>
    public async Task<long?> TryGetTotalAsync()
    {
        try
        {
            var labels = await Api.GetFromJsonAsync<JsonElement>("api/models/fashion-mnist/labels");
            return labels.GetProperty("labels").EnumerateArray().Sum(l => l.GetProperty("count").GetInt64());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>GET /api/cluster: silo address → its request-topic partitions; null when the silo cannot answer now.</summary>
    public async Task<IReadOnlyList<ClusterView>?> TryGetClusterAsync()
    {
        try
        {
            var cluster = await Api.GetFromJsonAsync<JsonElement>("api/cluster");
            return [.. cluster.GetProperty("silos").EnumerateArray().Select(s => new ClusterView(
                s.GetProperty("address").GetString()!,
                s.GetProperty("isThisSilo").GetBoolean(),
                [.. s.GetProperty("partitions").EnumerateArray().Select(p => p.GetString()!).Where(p => p.StartsWith("mlwatch.requests/", StringComparison.Ordinal))]))];
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _process?.Dispose();
        Api.Dispose();
    }

    /// <summary>One silo as /api/cluster lists it, with its partitions of the requests topic.</summary>
    public sealed record ClusterView(string Address, bool IsThisSilo, IReadOnlyList<string> Partitions)
    {
        public int Port => int.Parse(Address.Split(':')[1], CultureInfo.InvariantCulture);

        public override string ToString() => $"{Address}[{string.Join(',', Partitions)}]";
    }
}
