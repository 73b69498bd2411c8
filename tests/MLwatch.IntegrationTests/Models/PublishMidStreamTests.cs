using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using MLwatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Models;

/// <summary>
/// Version 2 of fashion-mnist published while records flow, on a cluster of real processes (`mlwatch broker`, Redis
/// membership, PostgreSQL state, `mlwatch silo` ×2, each with a models root of its own holding version 1 only): through
/// the HTTP API, and as a record any Kafka client writes to the control topic. Every valid record is counted exactly once
/// under exactly one version (v1 counts + v2 counts = records produced; the predictions topic names one version per
/// request id, and each version's counts equal its predictions), the registry shows the switch on every silo, and a silo
/// started after the publish serves version 2 from its first record.
/// </summary>
public sealed class PublishMidStreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Version_2_published_through_the_API_replaces_version_1_on_every_silo_without_losing_or_repeating_a_record()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("models-api", silos: 0);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await cluster.AddSiloAsync(SiloSettings(cluster));
        }

        await cluster.WaitSettledAsync("two silos sharing the partitions");
        var api = cluster.Silos[0].Api;
        cluster.StartProducing(perSecond: 100);
        await WaitForTotalAsync(api, "1", 400, cluster.LogDirectory);

        var published = await ModelVersions.PublishAsync(api, "2", File.ReadAllBytes(Path.Combine(ModelVersions.Version2Directory, "model.onnx")), ModelVersions.Version2Directory);
        var body = await published.Content.ReadAsStringAsync();
        Assert.True(published.StatusCode == HttpStatusCode.Created, $"{published.StatusCode}: {body}");
        Assert.Equal("2", JsonDocument.Parse(body).RootElement.GetProperty("active").GetString());

        await WaitServingAsync(cluster, "2", 2);
        await WaitForTotalAsync(api, "2", 400, cluster.LogDirectory);
        await CheckExactlyOnceAsync(cluster, "api");

        var registry = (await ModelVersions.TryGetRegistryAsync(api))!.Value;
        var version2 = registry.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "2");
        Assert.Equal(("active", "api", "models-test"), (version2.GetProperty("state").GetString(), version2.GetProperty("source").GetString(), version2.GetProperty("publishedBy").GetString()));
        Assert.Equal(2, version2.GetProperty("silos").EnumerateObject().Count(s => s.Value.GetProperty("passed").GetBoolean()));
        Assert.Equal("test_accuracy", version2.GetProperty("quality").GetProperty("metric").GetString());
        Assert.Equal("retired", registry.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "1").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Version_2_published_as_a_control_record_reaches_every_silo_and_a_silo_started_later_serves_it_from_its_first_record()
    {
        await using var cluster = await ClusterUnderTest.StartAsync("models-topic", silos: 0);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await cluster.AddSiloAsync(SiloSettings(cluster));
        }

        await cluster.WaitSettledAsync("two silos sharing the partitions");
        var api = cluster.Silos[0].Api;
        cluster.StartProducing(perSecond: 100);
        await WaitForTotalAsync(api, "1", 400, cluster.LogDirectory);

        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, MessageMaxBytes = 4 * 1024 * 1024 }).Build())
        {
            await producer.ProduceAsync("mlwatch.models", ModelVersions.Version2Record(by: "a kafka client"));
        }

        await WaitServingAsync(cluster, "2", 2);
        var late = await cluster.AddSiloAsync(SiloSettings(cluster));
        await WaitServingAsync(cluster, "2", 3);
        await cluster.WaitSettledAsync("three silos sharing the partitions");
        await WaitForTotalAsync(api, "2", 400, cluster.LogDirectory);
        var predictions = await CheckExactlyOnceAsync(cluster, "control topic");

        var registry = (await ModelVersions.TryGetRegistryAsync(api))!.Value;
        var lateServing = registry.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "serving" && e.GetProperty("silo").GetString() == late.Address)
            .Select(e => e.GetProperty("version").GetString())
            .ToList();
        Assert.Equal(["2"], lateServing);
        Assert.All(predictions.Where(p => p.Silo == late.Address), p => Assert.Equal("2", p.Version));
        var version2 = registry.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == "2");
        Assert.Equal(("control-topic", "a kafka client"), (version2.GetProperty("source").GetString(), version2.GetProperty("publishedBy").GetString()));
        Assert.Equal(3, version2.GetProperty("silos").EnumerateObject().Count(s => s.Value.GetProperty("passed").GetBoolean()));
    }

    private static Dictionary<string, string> SiloSettings(ClusterUnderTest cluster) => new()
    {
        ["MLWATCH__Inference__ModelsRoot"] = ModelVersions.CopyVersion1Root(cluster.LogDirectory),
        ["MLWATCH__Models__PublishPredictions"] = "true",
        ["MLWATCH__Api__AdminKey"] = ModelVersions.AdminKey,
    };

    /// <summary>Stops producing, waits for the counts of both versions to add up to what was produced, and checks them against the predictions topic.</summary>
    private async Task<List<ModelVersions.Prediction>> CheckExactlyOnceAsync(ClusterUnderTest cluster, string path)
    {
        var produced = await cluster.StopProducingAsync();
        var api = cluster.Silos[0].Api;
        var total = await Eventually.ReachAsync(
            async () => (await ModelVersions.TryGetTotalAsync(api, "1") ?? 0) + (await ModelVersions.TryGetTotalAsync(api, "2") ?? 0),
            t => t >= produced,
            $"v1 + v2 counts reaching {produced} (logs in {cluster.LogDirectory})",
            TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var v1 = (await ModelVersions.TryGetTotalAsync(api, "1"))!.Value;
        var v2 = (await ModelVersions.TryGetTotalAsync(api, "2"))!.Value;
        Assert.Equal(produced, v1 + v2);
        Assert.True(v1 > 0 && v2 > 0, $"both versions counted records: v1 {v1}, v2 {v2}");

        var predictions = ModelVersions.ReadPredictions(cluster.BootstrapServers, produced);
        var byRequest = predictions.GroupBy(p => p.RequestId).ToList();
        Assert.Equal(produced, byRequest.Count);
        Assert.All(byRequest, r => Assert.Single(r.Select(p => p.Version).Distinct()));
        Assert.Equal(v1, byRequest.Count(r => r.First().Version == "1"));
        Assert.Equal(v2, byRequest.Count(r => r.First().Version == "2"));
        output.WriteLine($"Published through the {path}: {produced} valid records, {v1} counted by v1 and {v2} by v2 (total {total}); {predictions.Count} prediction records for {byRequest.Count} request ids.");
        output.WriteLine($"Pause at the switch: {ModelVersions.DescribeSwitchPause(predictions, out _)}.");
        return predictions;
    }

    private static Task WaitForTotalAsync(HttpClient api, string version, long atLeast, string logs) =>
        Eventually.ReachAsync(async () => await ModelVersions.TryGetTotalAsync(api, version) ?? 0, t => t >= atLeast, $"version {version} counting {atLeast} records (logs in {logs})", TimeSpan.FromSeconds(90));

    private static Task WaitServingAsync(ClusterUnderTest cluster, string version, int silos) =>
        ClusterUnderTest.WithinAsync(TimeSpan.FromSeconds(120), $"{silos} silos serving version {version} (logs in {cluster.LogDirectory})", async () =>
        {
            var registry = await ModelVersions.TryGetRegistryAsync(cluster.Silos[0].Api);
            if (registry is null)
            {
                return false;
            }

            var serving = ModelVersions.Serving(registry.Value);
            return cluster.Silos.Where(s => s.IsUp).Count(s => serving.GetValueOrDefault(s.Address!) == version) == silos;
        });
}
