using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.Metrics;

/// <summary>
/// Debian's <c>prometheus</c> (installed by eng/test.sh), run by the test itself — never the distribution's service — on
/// a free loopback port, scraping the given targets every second, with its database in a temporary directory. Its log
/// stays under /tmp/mlwatch-metrics-tests/.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private static readonly string LogDirectory = Path.Combine(Path.GetTempPath(), "mlwatch-metrics-tests");

    private readonly ChildProcess _process;
    private readonly string _directory;

    private PrometheusServer(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public string LogPath => _process.LogPath;

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> ("host:port", path /metrics) as job <c>mlwatch</c>, with <paramref name="ruleFiles"/> loaded.</summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<string> targets, IReadOnlyList<string>? ruleFiles = null)
    {
        var directory = Directory.CreateTempSubdirectory("mlwatch-prometheus-").FullName;
        var port = FreePort.Next();
        var config = Path.Combine(directory, "prometheus.yml");
        var rules = ruleFiles is { Count: > 0 } ? $"rule_files: [{string.Join(", ", ruleFiles.Select(Quote))}]\n" : "";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            {rules}scrape_configs:
              - job_name: mlwatch
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(Quote))}]
            """);
        ChildProcess process;
        try
        {
            process = ChildProcess.Start(
                "prometheus",
                [
                    $"--config.file={config}",
                    $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                    $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                ],
                Path.Combine(LogDirectory, $"prometheus-{port}.log"),
                directory);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException("prometheus was not found. Run the test command (eng/test.sh), which installs it, or `apt-get install -y --no-install-recommends prometheus`.", exception);
        }

        var server = new PrometheusServer(process, directory, port);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Runs an instant query through the HTTP API (<c>/api/v1/query</c>): each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var answer = await Http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        if (answer.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {promql}: {answer}");
        }

        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The value of a query answering one series, or null when it answers none.</summary>
    public async Task<double?> ScalarAsync(string promql) => (await QueryAsync(promql)) switch
    {
        [] => null,
        [var one] => one.Value,
        var many => throw new InvalidOperationException($"{promql} answered {many.Count} series, not one."),
    };

    /// <summary>The raw JSON of an API path, e.g. <c>api/v1/targets</c> or <c>api/v1/rules</c>.</summary>
    public async Task<JsonElement> GetAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Quote(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited ({_process.ExitCode}) at start; see {LogPath}.");
            }

            try
            {
                using var response = await Http.GetAsync("-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"prometheus was not ready within 60 s; see {LogPath}.");
            }

            await Task.Delay(200);
        }
    }
}
