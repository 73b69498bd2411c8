using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Metrics;

/// <summary>
/// A real Prometheus scraping a real silo: a stream with some bad records goes through, then Prometheus' HTTP API
/// answers with the same counts as the silo's own API — predictions per model version, dead letters by reason,
/// records consumed — and the gauges say the partitions caught up and the monitor closed its windows. The shipped
/// alerting rules are loaded too: they evaluate without error, and the drift rule fires for each alert the monitor raised.
/// </summary>
public sealed class PrometheusScrapeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Valid = 400;
    private const int WindowSize = 100;

    private readonly TestBroker _broker = new();
    private SiloUnderTest _silo = null!;
    private PrometheusServer _prometheus = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloUnderTest.StartAsync(
            _broker.BootstrapServers,
            new Dictionary<string, string?>
            {
                ["Monitoring:WindowSize"] = WindowSize.ToString(CultureInfo.InvariantCulture),
                ["Monitoring:MinWindowCount"] = WindowSize.ToString(CultureInfo.InvariantCulture),
            });
        _prometheus = await PrometheusServer.StartAsync(
            [_silo.Api.BaseAddress!.Authority],
            [Path.Combine(ChildProcess.RepositoryRoot, "docs", "prometheus", "alerts.yml")]);
    }

    public async Task DisposeAsync()
    {
        _prometheus?.Dispose();
        await _silo.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task Prometheus_scrapes_the_same_counts_as_the_API_reports()
    {
        // Valid Fashion-MNIST images with their true labels, and among them records of three kinds no model can classify.
        var png = FashionMnistImages.TestSet.EncodePng(3);
        var bad = new List<(byte[] Value, (string, string)[] Headers)>();
        for (var i = 0; i < 4; i++)
        {
            bad.Add((Encoding.UTF8.GetBytes($"not an image {i}"), []));
        }

        bad.Add(([], []));
        bad.Add(([], []));
        bad.Add((png, [(RecordHeaders.Model, "no-such-model")]));
        for (var i = 0; i < bad.Count; i++)
        {
            await _broker.ProduceFashionMnistAsync(i * 50, (i + 1) * 50);
            await _broker.ProduceAsync(bad[i].Value, $"bad-{i}", bad[i].Headers);
        }

        await _broker.ProduceFashionMnistAsync(bad.Count * 50, Valid);
        await Eventually.ReachAsync(
            async () => (await _silo.GetTotalAsync(), await _silo.GetDeadLetteredAsync()),
            counts => counts == (Valid, bad.Count),
            "valid records counted and bad ones dead-lettered");
        var total = await _silo.GetTotalAsync();
        var deadLetters = (await _silo.Api.GetFromJsonAsync<Dictionary<string, long>>("api/deadletters"))!;
        Assert.Equal(new Dictionary<string, long> { ["undecodable"] = 4, ["empty"] = 2, ["unknown-model"] = 1 }, deadLetters);

        var predictions = await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""sum(mlwatch_predictions_total{job="mlwatch",model="fashion-mnist",model_version="1"})"""),
            value => value == total,
            "mlwatch_predictions_total scraped by Prometheus");
        output.WriteLine($"sum(mlwatch_predictions_total{{model=\"fashion-mnist\",model_version=\"1\"}}) = {predictions}; GET /api/models/fashion-mnist/labels total = {total}");

        var scrapedByReason = await Eventually.ReachAsync(
            async () => Describe((await _prometheus.QueryAsync("sum by (reason) (mlwatch_deadletters_total)")).ToDictionary(s => s.Labels["reason"], s => (long)s.Value)),
            described => described == Describe(deadLetters),
            "mlwatch_deadletters_total by reason scraped by Prometheus");
        output.WriteLine($"sum by (reason) (mlwatch_deadletters_total) = {scrapedByReason}; GET /api/deadletters = {Describe(deadLetters)}");

        await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""sum(messaging_client_consumed_messages_total{messaging_destination_name="mlwatch.requests"})"""),
            value => value == total + bad.Count,
            "records consumed from mlwatch.requests");
        await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""sum(mlwatch_prediction_end_to_end_duration_seconds_count{model="fashion-mnist"})"""),
            value => value == total,
            "end-to-end latencies recorded, one per prediction");
        // Every valid image went through ONNX Runtime once; the bad ones never reached it.
        await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""sum(mlwatch_inference_batch_size_sum{model="fashion-mnist"})"""),
            value => value == total,
            "images in ONNX Runtime batches");
        await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""max(mlwatch_kafka_consumer_lag{messaging_destination_name="mlwatch.requests"})"""),
            value => value == 0,
            "consumer lag of every request partition back to 0");
        await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""sum(mlwatch_kafka_consumer_committed_offset{messaging_destination_name="mlwatch.requests"})"""),
            value => value == total + bad.Count,
            "committed offsets of the request partitions past every record (4 partitions, offsets from 0)");

        var drift = await _silo.GetDriftAsync();
        Assert.Equal(Valid / WindowSize, drift.Windows.Length);
        var window = await Eventually.ReachAsync(
            () => _prometheus.ScalarAsync("""mlwatch_drift_window{model="fashion-mnist",model_version="1"}"""),
            value => value == drift.Windows[^1].Window,
            "the latest closed window's index");
        var realized = await _prometheus.ScalarAsync("""mlwatch_accuracy_realized{model="fashion-mnist",model_version="1"}""");
        Assert.Equal(drift.Windows[^1].RealizedAccuracy!.Value, realized!.Value, 12);
        Assert.Equal(drift.Windows[^1].JensenShannon, (await _prometheus.ScalarAsync("""mlwatch_drift_js_distance{model="fashion-mnist"}"""))!.Value, 12);
        Assert.Equal(4, (await _prometheus.QueryAsync("""mlwatch_alerts_active{model="fashion-mnist"}""")).Count);
        Assert.Equal(drift.ActiveAlerts.Length, (await _prometheus.ScalarAsync("""sum(mlwatch_alerts_active{model="fashion-mnist"})"""))!.Value);
        output.WriteLine($"mlwatch_drift_window = {window}; mlwatch_accuracy_realized = {realized}");

        // The shipped rules load, and every one of them has been evaluated against the silo's series without error.
        var rules = await Eventually.ReachAsync(
            async () => (await _prometheus.GetAsync("api/v1/rules")).GetProperty("data").GetProperty("groups")[0].GetProperty("rules").EnumerateArray()
                .Select(r => $"{r.GetProperty("name").GetString()}:{r.GetProperty("health").GetString()}").ToArray() is var all ? string.Join(", ", all) : "",
            described => described.Split(", ").All(r => r.EndsWith(":ok", StringComparison.Ordinal)) && described.Split(", ").Length == 6,
            "alerting rules evaluated");
        output.WriteLine($"rules: {rules}");

        // And the drift rule fires for exactly the alerts the monitor has raised (windows of 100 predictions are noisy: there may be some).
        var firing = await Eventually.ReachAsync(
            async () => (await _prometheus.ScalarAsync("""count(ALERTS{alertname="MLwatchDriftAlertActive",alertstate="firing",model="fashion-mnist"})""")) ?? 0,
            value => value == drift.ActiveAlerts.Length,
            "MLwatchDriftAlertActive firing for each active alert");
        output.WriteLine($"MLwatchDriftAlertActive firing: {firing}; GET /api/models/fashion-mnist/drift activeAlerts: {string.Join(", ", drift.ActiveAlerts.Select(a => a.Kind))}");
        output.WriteLine(await _prometheus.Http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString("sum by (model, model_version) (mlwatch_predictions_total)")}"));
    }

    private static string Describe(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
