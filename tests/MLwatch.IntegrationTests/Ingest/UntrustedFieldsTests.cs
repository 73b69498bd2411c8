using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;
using static MLwatch.IntegrationTests.Ingest.IngestMessages;

namespace MLwatch.IntegrationTests.Ingest;

/// <summary>
/// Every field of a record is untrusted: an out-of-range Kafka timestamp or mlwatch-sent-at, a made-up label, key bytes
/// that are no text. Such records are classified and counted with a fallback, the problem is counted at
/// /api/ingest/warnings, and the records after them on the same partition flow on.
/// </summary>
public sealed class UntrustedFieldsTests : SiloOnTestBroker
{
    private const long FarFutureTimestampMs = 300_000_000_000_000;

    [Fact]
    public async Task Absurd_times_and_labels_are_counted_with_a_fallback_while_every_record_after_them_is_counted()
    {
        var farFutureTimestamp = Image(1, "kafka-timestamp-far-future");
        farFutureTimestamp.Timestamp = new Timestamp(FarFutureTimestampMs, TimestampType.CreateTime);
        await Broker.ProduceToAsync(Partition0, farFutureTimestamp);
        await Broker.ProduceValidAsync("after-timestamp", 100);

        await Broker.ProduceToAsync(Partition0, Image(2, "sent-at-far-future", (RecordHeaders.SentAt, "99999999999999999")));
        await Broker.ProduceValidAsync("after-sent-at", 100);

        var bothAbsurd = Image(3, "both-absurd", (RecordHeaders.SentAt, "99999999999999999"));
        bothAbsurd.Timestamp = new Timestamp(FarFutureTimestampMs, TimestampType.CreateTime);
        await Broker.ProduceToAsync(Partition0, bothAbsurd);
        await Broker.ProduceToAsync(Partition0, Image(4, "sent-at-text", (RecordHeaders.SentAt, "yesterday")));
        await Broker.ProduceToAsync(Partition0, Image(5, "made-up-label", (RecordHeaders.Label, "Spaceship")));
        byte[] binaryKey = [0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28];
        var undecodable = await Broker.ProduceToAsync(Partition0, new Message<byte[]?, byte[]?> { Key = binaryKey, Value = "not an image"u8.ToArray() });
        await Broker.ProduceValidAsync("after-the-rest", 100);
        const int classified = 5 + 300;

        await Eventually.ReachAsync(
            async () => (await Silo.GetTotalAsync(), await Silo.GetDeadLetteredAsync()),
            counts => counts.Item1 >= classified && counts.Item2 >= 1,
            "records after the absurd ones counted");
        Assert.Equal(classified, await Silo.GetTotalAsync());
        Assert.Equal(1, await Silo.GetDeadLetteredAsync());

        var expected = new Dictionary<string, long>
        {
            ["kafka-timestamp-unusable"] = 2,
            ["sent-at-in-future"] = 2,
            ["sent-at-not-a-number"] = 1,
            ["label-unknown"] = 1,
        };
        var warnings = await Eventually.ReachAsync(
            WarningsAsync,
            counts => counts.Values.Sum() >= expected.Values.Sum(),
            "field problems counted");
        Assert.Equal(expected, warnings);

        // The two records with no usable time are counted without a latency; the others' latencies stay plausible.
        var labels = await Task.WhenAll(FashionMnistImages.Model.Labels.Select(label => Silo.GetJsonAsync($"api/models/fashion-mnist/labels/{Uri.EscapeDataString(label)}")));
        Assert.Equal(classified - 2, labels.Sum(l => l.GetProperty("latencyHistogram").EnumerateArray().Sum(bin => bin.GetInt64())));
        Assert.All(labels, l => Assert.InRange(l.GetProperty("meanLatencyMs").GetDouble(), 0, TimeSpan.FromHours(1).TotalMilliseconds));

        // The dead letter keeps the key's bytes, though they are no UTF-8.
        var letter = Assert.Single(Broker.ReadAll(TopicNames.DeadLetter, 1));
        Assert.Equal(binaryKey, letter.Message.Key);
        Assert.Equal($"{TopicNames.Requests}/0/{undecodable.Offset.Value}", letter.Message.Headers.Header(RecordHeaders.Origin));
        Assert.Equal("undecodable", letter.Message.Headers.Header(RecordHeaders.ErrorCode));
    }

    private async Task<Dictionary<string, long>> WarningsAsync()
    {
        var json = await Silo.GetJsonAsync("api/ingest/warnings");
        return json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }
}
