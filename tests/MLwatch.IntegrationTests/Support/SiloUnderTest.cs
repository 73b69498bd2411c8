using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Wire;
using MLwatch.Hosting;
using MLwatch.Hosting.Configuration;

namespace MLwatch.IntegrationTests.Support;

/// <summary>
/// A real MLwatch silo with its HTTP API, started in this process from silo-config/local.json on free ports and pointed
/// at a broker the test owns, so the broker (and PostgreSQL) outlive silo restarts.
/// </summary>
internal sealed class SiloUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private SiloUnderTest(WebApplication app, Uri apiAddress)
    {
        _app = app;
        Api = new HttpClient { BaseAddress = apiAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The API's JSON conventions: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { WireEnums.Converter() } };

    public HttpClient Api { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a silo consuming from <paramref name="bootstrapServers"/>; <paramref name="settings"/> override the profile.</summary>
    public static async Task<SiloUnderTest> StartAsync(
        string bootstrapServers, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var apiPort = FreePort.Next();
        var overrides = new Dictionary<string, string?>
        {
            ["Cluster:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Api:Urls"] = $"http://127.0.0.1:{apiPort}",
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:CheckpointInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var app = MLwatchSiloHost.Build(MLwatchConfiguration.LocateProfile("local"), overrides, configure: configure);
        await app.StartAsync();
        return new SiloUnderTest(app, new Uri($"http://127.0.0.1:{apiPort}/"));
    }

    /// <summary>GET <paramref name="path"/> as JSON; fails on a non-success status.</summary>
    public async Task<JsonElement> GetJsonAsync(string path) => await Api.GetFromJsonAsync<JsonElement>(path);

    /// <summary>GET /api/models/{model}/labels.</summary>
    public Task<JsonElement> GetLabelsAsync(string model = "fashion-mnist") =>
        GetJsonAsync($"api/models/{Uri.EscapeDataString(model)}/labels");

    /// <summary>Predictions counted over all labels of the model.</summary>
    public async Task<long> GetTotalAsync(string model = "fashion-mnist") =>
        (await GetLabelsAsync(model)).GetProperty("total").GetInt64();

    /// <summary>GET /api/models/{model}/drift.</summary>
    public async Task<ModelDriftSnapshot> GetDriftAsync(string model = "fashion-mnist") =>
        (await Api.GetFromJsonAsync<ModelDriftSnapshot>($"api/models/{Uri.EscapeDataString(model)}/drift", ApiJson))!;

    /// <summary>GET /api/alerts: every alert event, newest first.</summary>
    public async Task<AlertEvent[]> GetAlertsAsync() =>
        (await Api.GetFromJsonAsync<AlertEvent[]>("api/alerts", ApiJson))!;

    /// <summary>Dead-lettered records counted, over all reasons.</summary>
    public async Task<long> GetDeadLetteredAsync() =>
        (await Api.GetFromJsonAsync<Dictionary<string, long>>("api/deadletters"))!.Values.Sum();

    /// <summary>Stops the silo gracefully: receivers flush and commit, grains persist on deactivation.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Api.Dispose();
        await _app.DisposeAsync();
    }
}
