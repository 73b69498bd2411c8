using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.IntegrationTests.Ingest;
using MLwatch.IntegrationTests.Support;
using MLwatch.Streaming.Kafka;

namespace MLwatch.IntegrationTests.Streaming;

/// <summary>
/// No silent stall: a partition whose deliveries keep failing for a reason outside its records (here an injected
/// timeout, as a storage or cluster outage would give) waits, and says so: `stalled` in /healthz and /api/cluster,
/// with where its records wait, until it flows again.
/// </summary>
public sealed class StalledPartitionTests : IAsyncLifetime
{
    private readonly TestBroker _broker = new();
    private readonly StallPartition _fault = new(partition: 1);
    private SiloUnderTest _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloUnderTest.StartAsync(
        _broker.BootstrapServers,
        new Dictionary<string, string?> { ["Kafka:StallAfter"] = "00:00:03" },
        builder => builder.Services.AddSingleton<IDeliveryFaultInjection>(_fault));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task A_partition_whose_deliveries_keep_failing_is_stalled_in_healthz_and_the_cluster_api_then_flows_again()
    {
        for (var i = 0; i < 20; i++)
        {
            await _broker.ProduceToAsync(new TopicPartition(TopicNames.Requests, new Partition(i % 2)), IngestMessages.Image(i, $"stall-{i}"));
        }

        var health = await Eventually.ReachAsync(() => _silo.GetJsonAsync("healthz"), h => h.GetProperty("status").GetString() == "stalled", "healthz says stalled", TimeSpan.FromSeconds(90));
        Assert.Equal(["mlwatch.requests/1"], health.GetProperty("stalledPartitions").EnumerateArray().Select(p => p.GetString()));
        var stalled = Partition(health.GetProperty("partitions"), 1);
        Assert.True(stalled.GetProperty("lag").GetInt64() > 0);
        Assert.Equal("delivery-failing", stalled.GetProperty("waiting").GetString());
        Assert.Contains("TimeoutException: injected outage", stalled.GetProperty("waitingDetail").GetString(), StringComparison.Ordinal);
        Assert.False(Partition(health.GetProperty("partitions"), 0).GetProperty("stalled").GetBoolean());

        var cluster = await _silo.GetJsonAsync("api/cluster");
        var silo = cluster.GetProperty("silos").EnumerateArray().Single();
        Assert.True(silo.GetProperty("partitionsKnown").GetBoolean());
        Assert.True(Partition(silo.GetProperty("partitionStatus"), 1).GetProperty("stalled").GetBoolean());

        // Nothing of partition 1 was counted, nothing was dead-lettered: the records wait.
        Assert.Equal(10, await _silo.GetTotalAsync());
        Assert.Equal(0, await _silo.GetDeadLetteredAsync());

        _fault.Heal();
        await Eventually.ReachAsync(() => _silo.GetTotalAsync(), total => total >= 20, "partition 1 flows again");
        await Eventually.ReachAsync(() => _silo.GetJsonAsync("healthz"), h => h.GetProperty("status").GetString() == "ok", "healthz ok again");
        Assert.Equal(20, await _silo.GetTotalAsync());
        Assert.Equal(0, await _silo.GetDeadLetteredAsync());
    }

    private static JsonElement Partition(JsonElement partitions, int partition) =>
        partitions.EnumerateArray().Single(p => p.GetProperty("topic").GetString() == TopicNames.Requests && p.GetProperty("partition").GetInt32() == partition);

    /// <summary>Fails every delivery of one partition as an outage would (a timeout: not the records' fault, so they wait) until healed.</summary>
    private sealed class StallPartition(int partition) : IDeliveryFaultInjection
    {
        private volatile bool _healed;

        public void Heal() => _healed = true;

        public void BeforeConsume(KafkaRecord record)
        {
            if (!_healed && record.Topic == TopicNames.Requests && record.Partition == partition)
            {
                throw new TimeoutException("injected outage");
            }
        }
    }
}
