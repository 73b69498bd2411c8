using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>The whole pipeline on a real broker: Kafka → inference grains → label grains → HTTP API.</summary>
public sealed class PipelineTests : SiloOnTestBroker
{
    [Fact]
    public async Task Label_counts_and_mean_confidences_equal_onnx_runtime_run_directly()
    {
        const int count = 1500;
        var expected = DirectOnnxReference.Classify(FashionMnistImages.Model, FashionMnistImages.TestSet, count);

        await Broker.ProduceFashionMnistAsync(0, count);
        await Eventually.ReachAsync(() => Silo.GetTotalAsync(), total => total >= count, "predictions counted");

        var labels = (await Silo.GetLabelsAsync()).GetProperty("labels").EnumerateArray().ToDictionary(
            l => l.GetProperty("label").GetString()!,
            l => (Count: l.GetProperty("count").GetInt64(), Mean: l.GetProperty("meanConfidence").GetDouble()));
        Assert.Equal(expected.Keys.Order(), labels.Keys.Order());
        foreach (var (label, expectation) in expected)
        {
            Assert.True(expectation.Count == labels[label].Count, $"{label}: counted {labels[label].Count}, ONNX Runtime predicts {expectation.Count}");
            Assert.True(
                Math.Abs(expectation.MeanConfidence - labels[label].Mean) <= 1e-4,
                $"{label}: mean confidence {labels[label].Mean}, ONNX Runtime gives {expectation.MeanConfidence}");
        }

        Assert.Equal(count, labels.Values.Sum(l => l.Count));
        Assert.Equal(0, await Silo.GetDeadLetteredAsync());
    }

    [Fact]
    public async Task A_record_from_a_plain_kafka_producer_without_key_or_headers_is_classified()
    {
        var expected = DirectOnnxReference.Classify(FashionMnistImages.Model, FashionMnistImages.TestSet, 1).Single(e => e.Value.Count == 1).Key;

        var delivery = await Broker.ProduceAsync(FashionMnistImages.TestSet.EncodePng(0));

        await Eventually.ReachAsync(() => Silo.GetTotalAsync(), total => total == 1, "the record counted");
        var label = await Silo.GetJsonAsync($"api/models/fashion-mnist/labels/{Uri.EscapeDataString(expected)}");
        Assert.Equal(1, label.GetProperty("count").GetInt64());
        Assert.Equal(0, label.GetProperty("labeledCount").GetInt64());
        Assert.Equal(Confluent.Kafka.PersistenceStatus.Persisted, delivery.Status);
    }

    [Fact]
    public async Task Mlwatch_query_labels_reads_the_live_counts_as_json_and_as_a_table()
    {
        await Broker.ProduceFashionMnistAsync(0, 100);
        await Eventually.ReachAsync(() => Silo.GetTotalAsync(), total => total >= 100, "predictions counted");
        var api = Silo.Api.BaseAddress!.ToString();

        var json = await MlwatchProcess.RunAsync(["query", "labels", "--model", "fashion-mnist", "--json", "--api", api]);
        var table = await MlwatchProcess.RunAsync(["query", "labels", "--model", "fashion-mnist", "--api", api]);

        Assert.True(json.ExitCode == 0, json.Stderr);
        var stats = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(100, stats.GetProperty("total").GetInt64());
        Assert.Equal(100, stats.GetProperty("labels").EnumerateArray().Sum(l => l.GetProperty("count").GetInt64()));
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("Ankle boot", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("100 predictions", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mlwatch_query_says_what_to_do_when_no_silo_answers()
    {
        var result = await MlwatchProcess.RunAsync(["query", "labels", "--api", $"http://127.0.0.1:{FreePort.Next()}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Start a silo", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_lists_models_and_refuses_unknown_ones_with_what_is_served()
    {
        var models = await Silo.GetJsonAsync("api/models");
        var model = Assert.Single(models.EnumerateArray());
        Assert.Equal("fashion-mnist", model.GetProperty("name").GetString());
        Assert.Equal(10, model.GetProperty("labels").GetInt32());

        var unknown = await Silo.Api.GetAsync("api/models/imagenet/labels");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("fashion-mnist", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var health = await Silo.Api.GetAsync("healthz");
        Assert.True(health.IsSuccessStatusCode);
    }
}
