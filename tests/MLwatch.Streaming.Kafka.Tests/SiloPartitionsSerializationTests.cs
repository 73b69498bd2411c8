using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MLwatch.Streaming.Kafka.Tests;

/// <summary>The control-command answer crosses silos: it and the partition status survive Orleans serialization whole.</summary>
public sealed class SiloPartitionsSerializationTests
{
    [Fact]
    public void A_silo_answer_with_partition_status_round_trips()
    {
        using var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(SiloPartitions).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var status = new KafkaPartitionStatus(
            "mlwatch.requests", 3, 10, 250, 120, 140, 180, 110, 40, 8_000_000, 40, 8_100_000,
            new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero),
            new DeliveryFailureRun(4, new DateTimeOffset(2025, 5, 6, 7, 9, 0, TimeSpan.Zero), "InvalidOperationException: boom"),
            17, true, new DateTimeOffset(2025, 5, 6, 7, 9, 30, TimeSpan.Zero), KafkaBacklogStage.DeliveryFailing, "KafkaException: broker down");
        var answer = new SiloPartitions("S127.0.0.1:11111:1", [status.Name], [status]);

        var copy = serializer.Deserialize<SiloPartitions>(serializer.SerializeToArray(answer))!;

        Assert.Equal(answer.Silo, copy.Silo);
        Assert.Equal(answer.Partitions, copy.Partitions);
        Assert.Equal(status, Assert.Single(copy.Statuses));
    }
}
