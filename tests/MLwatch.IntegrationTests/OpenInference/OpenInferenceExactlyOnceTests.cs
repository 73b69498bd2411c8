using System.Net;
using Confluent.Kafka;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests.OpenInference;

/// <summary>
/// Predictions made through the Open Inference Protocol are counted exactly like Kafka records: once per request id,
/// however often a client retries it, because a retry waits for (or reads) the first call's reply instead of producing.
/// </summary>
public sealed class OpenInferenceExactlyOnceTests : SiloOnTestBroker
{
    [Fact]
    public async Task Requests_retried_with_the_same_id_concurrently_and_afterwards_are_counted_once_each()
    {
        const int requests = 24;
        var client = new OipSchemaClient(Silo.Api);
        var expected = OipRequests.ExpectedLabels(requests);

        // Every third request is sent twice at once; then every request is retried after its answer.
        var first = Enumerable.Range(0, requests)
            .SelectMany(i => Enumerable.Repeat(i, i % 3 == 0 ? 2 : 1))
            .Select(async i => (Index: i, Answer: await client.InferAsync(OipRequests.Model, OipRequests.Image(i, $"once-{i}"))))
            .ToArray();
        var answers = (await Task.WhenAll(first)).ToList();
        answers.AddRange(await Task.WhenAll(Enumerable.Range(0, requests).Select(async i => (Index: i, Answer: await client.InferAsync(OipRequests.Model, OipRequests.Image(i, $"once-{i}"))))));

        foreach (var (index, (status, response, error)) in answers)
        {
            Assert.True(status == HttpStatusCode.OK, $"request {index}: {status} {error?.Error}");
            Assert.Equal($"once-{index}", response!.Id);
            Assert.Equal(expected[index], response.Output("label").Strings().Single());
        }

        Assert.Equal(requests, await Silo.GetTotalAsync());
        var labels = (await Silo.GetLabelsAsync()).GetProperty("labels").EnumerateArray().ToDictionary(l => l.GetProperty("label").GetString()!, l => l.GetProperty("count").GetInt64());
        Assert.Equal(expected.GroupBy(l => l).ToDictionary(g => g.Key, g => (long)g.Count()).OrderBy(p => p.Key), labels.Where(p => p.Value > 0).OrderBy(p => p.Key));
        // One record per id reached the request topic: the retries produced nothing.
        Assert.Equal(requests, RecordsOnRequestTopic());
    }

    private long RecordsOnRequestTopic()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Broker.BootstrapServers, GroupId = "oip-watermarks" }).Build();
        return Enumerable.Range(0, TestBroker.Partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition("mlwatch.requests", p), TimeSpan.FromSeconds(10)).High.Value);
    }
}
