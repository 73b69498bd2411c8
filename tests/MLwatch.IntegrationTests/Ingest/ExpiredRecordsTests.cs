using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;
using static MLwatch.IntegrationTests.Ingest.IngestMessages;

namespace MLwatch.IntegrationTests.Ingest;

/// <summary>
/// Records deleted before the pipeline read them (retention on a real Kafka, the size limit of the embedded broker)
/// are reported, never skipped quietly: one dead letter records-expired naming the range, a count per record in
/// /api/deadletters, the lost records in the partition's status; everything after the range is counted.
/// </summary>
public sealed class ExpiredRecordsTests : IAsyncLifetime
{
    private readonly TestBroker _broker = new();
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync()
    {
        // The consumer group reads and commits a first part (a group without a commit starts at whatever Kafka keeps,
        // losing nothing of its own); then, while no silo runs, a backlog arrives whose first 30 records the broker deletes.
        var first = await SiloUnderTest.StartAsync(_broker.BootstrapServers);
        await _broker.ProduceValidAsync("first", 10);
        await Eventually.ReachAsync(() => first.GetTotalAsync(), total => total >= 10, "the first records counted");
        await first.DisposeAsync();
        await _broker.ProduceValidAsync("early", 30);
        await _broker.ProduceValidAsync("late", 25);
        _broker.DeleteRecords(TopicNames.Requests, 0, beforeOffset: 40);
        _silo = await SiloUnderTest.StartAsync(_broker.BootstrapServers);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task A_range_deleted_before_it_was_read_is_dead_lettered_as_records_expired_and_what_follows_is_counted()
    {
        await Eventually.ReachAsync(
            async () => (await _silo.GetTotalAsync(), await _silo.GetDeadLetteredAsync()),
            counts => counts.Item1 >= 25 && counts.Item2 >= 30,
            "the records after the deleted range counted and the range reported");

        // This silo's in-memory state starts empty: it counts what it read.
        Assert.Equal(25, await _silo.GetTotalAsync());
        var deadLetters = (await _silo.GetJsonAsync("api/deadletters")).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["records-expired"] = 30 }, deadLetters);

        var letter = Assert.Single(_broker.ReadAll(TopicNames.DeadLetter, 1)).Message;
        Assert.Equal("records-expired", letter.Headers.Header(RecordHeaders.ErrorCode));
        Assert.Equal($"{TopicNames.Requests}/0/10-39", letter.Headers.Header(RecordHeaders.Origin));
        Assert.Contains("10", letter.Headers.Header(RecordHeaders.Error), StringComparison.Ordinal);
        Assert.Empty(letter.Value ?? []);
    }
}
