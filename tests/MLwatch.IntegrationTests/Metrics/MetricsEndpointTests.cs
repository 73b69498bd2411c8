using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Monitoring;
using MLwatch.Grains.Telemetry;
using MLwatch.Hosting.Telemetry;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Telemetry;
using MLwatch.IntegrationTests.Support;
using MLwatch.Storage.PostgreSql;
using MLwatch.Streaming.Kafka;
using MLwatch.Streaming.Kafka.Telemetry;

namespace MLwatch.IntegrationTests.Metrics;

/// <summary>
/// /metrics as a Prometheus scraper reads it, from MLwatch's metrics registration alone (no Orleans, no Kafka): every
/// instrument appears as a metric family with its Prometheus type and unit suffix, and a host exports its own
/// measurements only, even with another host in the same process.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    private static readonly KafkaPartition Requests = new("mlwatch.requests", 3);

    /// <summary>Every family a silo exports once each instrument has a measurement: name with suffixes, Prometheus type.</summary>
    private static readonly (string Family, string Type)[] Families =
    [
        ("messaging_client_consumed_messages_total", "counter"),
        ("messaging_process_duration_seconds", "histogram"),
        ("mlwatch_predictions_total", "counter"),
        ("mlwatch_prediction_end_to_end_duration_seconds", "histogram"),
        ("mlwatch_deadletters_total", "counter"),
        ("mlwatch_inference_duration_seconds", "histogram"),
        ("mlwatch_inference_batch_size", "histogram"),
        ("mlwatch_kafka_consumer_lag", "gauge"),
        ("mlwatch_kafka_consumer_committed_offset", "gauge"),
        ("mlwatch_kafka_consumer_delivered_offset", "gauge"),
        ("mlwatch_kafka_partition_end_offset", "gauge"),
        ("mlwatch_kafka_partition_stalled", "gauge"),
        ("mlwatch_kafka_checkpoint_duration_seconds", "histogram"),
        ("mlwatch_kafka_checkpoint_failures_total", "counter"),
        ("mlwatch_storage_degraded", "gauge"),
        ("mlwatch_storage_operations_retrying", "gauge"),
        ("mlwatch_storage_failed_attempts_total", "counter"),
        ("mlwatch_drift_window", "gauge"),
        ("mlwatch_drift_js_distance", "gauge"),
        ("mlwatch_drift_psi", "gauge"),
        ("mlwatch_drift_chi_square_p_value", "gauge"),
        ("mlwatch_drift_ks_statistic", "gauge"),
        ("mlwatch_drift_ks_p_value", "gauge"),
        ("mlwatch_drift_wasserstein", "gauge"),
        ("mlwatch_accuracy_estimated", "gauge"),
        ("mlwatch_accuracy_realized", "gauge"),
        ("mlwatch_alerts_active", "gauge"),
        // .NET runtime and ASP.NET Core instrumentation.
        ("dotnet_gc_collections_total", "counter"),
        ("dotnet_process_memory_working_set_bytes", "gauge"),
        ("http_server_request_duration_seconds", "histogram"),
    ];

    [Fact]
    public async Task Metrics_exposes_every_family_with_its_type_and_unit_suffix()
    {
        await using var host = await MetricsHost.StartAsync();
        host.RecordOneOfEach();
        // An HTTP request other than the scrape (whose own requests are not counted).
        using (await host.Http.GetAsync("/no-such-page"))
        {
        }

        var text = await host.ScrapeAsync();

        var missing = Families.Where(f => !text.Contains($"# TYPE {f.Family} {f.Type}\n", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"Families missing from /metrics: {string.Join(", ", missing.Select(f => $"{f.Family} ({f.Type})"))}.\n{text}");
        Assert.Equal(2, Sample(text, "mlwatch_predictions_total", "model=\"fashion-mnist\",model_version=\"1\""));
        Assert.Equal(3, Sample(text, "messaging_client_consumed_messages_total", "messaging_destination_name=\"mlwatch.requests\",messaging_destination_partition_id=\"3\",messaging_operation_name=\"process\",messaging_system=\"kafka\""));
        Assert.Equal(1, Sample(text, "mlwatch_deadletters_total", "messaging_destination_name=\"mlwatch.requests\",reason=\"undecodable\""));
        Assert.Equal(42, Sample(text, "mlwatch_kafka_consumer_lag", "messaging_destination_name=\"mlwatch.requests\",messaging_destination_partition_id=\"3\",messaging_system=\"kafka\""));
        Assert.Equal(1, Sample(text, "mlwatch_kafka_partition_stalled", "messaging_destination_name=\"mlwatch.requests\",messaging_destination_partition_id=\"3\",messaging_system=\"kafka\""));
        Assert.Equal(1, Sample(text, "mlwatch_alerts_active", "kind=\"label-drift\",model=\"fashion-mnist\",model_version=\"1\""));
        Assert.Equal(0, Sample(text, "mlwatch_alerts_active", "kind=\"confidence-drift\",model=\"fashion-mnist\",model_version=\"1\""));
        Assert.Equal(0.25, Sample(text, "mlwatch_drift_js_distance", "model=\"fashion-mnist\",model_version=\"1\""));
        Assert.Equal(0.75, Sample(text, "mlwatch_accuracy_realized", "model=\"fashion-mnist\",model_version=\"1\""));
        Assert.Equal(2, Sample(text, "mlwatch_prediction_end_to_end_duration_seconds_count", "model=\"fashion-mnist\",model_version=\"1\""));
        Assert.Equal(1.5, Sample(text, "mlwatch_prediction_end_to_end_duration_seconds_sum", "model=\"fashion-mnist\",model_version=\"1\""));
    }

    [Fact]
    public async Task Each_host_exports_its_own_measurements_only()
    {
        await using var measured = await MetricsHost.StartAsync();
        await using var other = await MetricsHost.StartAsync();
        measured.RecordOneOfEach();

        var otherText = await other.ScrapeAsync();

        Assert.Contains("mlwatch_predictions_total{", await measured.ScrapeAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("mlwatch_predictions_total{", otherText, StringComparison.Ordinal);
        Assert.DoesNotContain("mlwatch_kafka_consumer_lag{", otherText, StringComparison.Ordinal);
        Assert.DoesNotContain("mlwatch_alerts_active{", otherText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_can_be_turned_off_or_moved()
    {
        await using var off = await MetricsHost.StartAsync(("Metrics:Enabled", "false"));
        await using var moved = await MetricsHost.StartAsync(("Metrics:Path", "/internal/metrics"));

        using var offResponse = await off.Http.GetAsync("/metrics");
        using var movedResponse = await moved.Http.GetAsync("/internal/metrics");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, offResponse.StatusCode);
        Assert.Contains("# TYPE target_info gauge", await movedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The value of the sample of <paramref name="name"/> whose labels (the instrumentation scope's aside) are exactly <paramref name="labels"/>.</summary>
    private static double Sample(string text, string name, string labels)
    {
        foreach (Match match in SampleLine().Matches(text))
        {
            var scopeless = ScopeLabel().Replace(match.Groups["labels"].Value, "");
            if (match.Groups["name"].Value == name && scopeless == labels)
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"No sample {name}{{{labels}}} in /metrics:\n{text}");
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"otel_scope_name=""[^""]*"",?")]
    private static partial Regex ScopeLabel();

    /// <summary>An ASP.NET Core host with MLwatch's instruments and metrics registration, on a free loopback port.</summary>
    private sealed class MetricsHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MetricsHost(WebApplication app, int port)
        {
            _app = app;
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        }

        public HttpClient Http { get; }

        public static async Task<MetricsHost> StartAsync(params (string Key, string Value)[] settings)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            foreach (var (key, value) in settings)
            {
                builder.Configuration[key] = value;
            }

            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<KafkaPartitionOwnership>();
            builder.Services.AddSingleton<StorageHealth>();
            builder.Services.AddSingleton<KafkaMetrics>();
            builder.Services.AddSingleton<PipelineMetrics>();
            builder.Services.AddSingleton<InferenceMetrics>();
            builder.Services.AddSingleton<MonitorMetrics>();
            builder.AddMLwatchMetrics();
            var app = builder.Build();
            app.MapMLwatchMetrics();
            await app.StartAsync();
            return new MetricsHost(app, port);
        }

        /// <summary>One measurement of every MLwatch instrument, as the silo's code records them.</summary>
        public void RecordOneOfEach()
        {
            var services = _app.Services;
            var records = Enumerable.Range(10, 3).Select(offset => new KafkaRecord(Requests.Topic, Requests.Partition, offset, null, [1], [], 0)).ToArray();
            var pipeline = services.GetRequiredService<PipelineMetrics>();
            pipeline.Processed(new Delivery(Requests, 10, 12, 0, records), TimeSpan.FromMilliseconds(20));
            pipeline.Predicted(new Dictionary<LabelStatsKey, List<LabelObservation>>
            {
                [new LabelStatsKey("fashion-mnist", "1", "Bag")] = [new(3, 10, 0.9f, 0, 500, true), new(3, 11, 0.8f, 0, 1000, null)],
            });
            pipeline.DeadLettered(Requests.Topic, [(records[2], new ImageRejection("undecodable", "not an image"))]);
            services.GetRequiredService<InferenceMetrics>().BatchRan(FashionMnistImages.Model, 2, TimeSpan.FromMilliseconds(3));
            services.GetRequiredService<KafkaMetrics>().CheckpointEnded(Requests, CheckpointOutcomes.Failed, Stopwatch.GetTimestamp());
            services.GetRequiredService<KafkaPartitionOwnership>().Acquire(Requests, () => new KafkaPartitionStatus(
                Requests.Topic, Requests.Partition, 0, 55, 10, 12, 12, 42, 0, 0, 0, 0, null, null, 0, true, DateTimeOffset.UtcNow, KafkaBacklogStage.NotFetched, null));
            var state = new ModelMonitorState();
            state.Windows.Add(new DriftWindowReport(1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "count", 100, 0.25, 0.3, 12, 0.01, 0.2, 0.02, 0.05, 0.9, 4, 3, [], ["label-drift"]));
            state.AlertTracks["label-drift"] = new AlertTrack { Raised = new AlertEvent("fashion-mnist@1/label-drift/1/raised", "fashion-mnist", "1", "label-drift", AlertState.Raised, "jensenShannon", 0.25, 0.1, 1, DateTimeOffset.UtcNow, "") };
            services.GetRequiredService<MonitorMetrics>().Track(new ModelKey("fashion-mnist", "1")).Report(state);
        }

        public async Task<string> ScrapeAsync() => await Http.GetStringAsync("/metrics");

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
