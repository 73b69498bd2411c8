using System.CommandLine;
using MLwatch.Abstractions.Wire;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Cli.Commands;

/// <summary>mlwatch broker: an embedded Kafka-protocol broker as its own process, for development and fault tests.</summary>
public static class BrokerCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Also accept bootstrap connections on this fixed loopback port (e.g. 9092)." };
        var topic = CommonOptions.Topic();
        var partitions = new Option<int>("--partitions")
        {
            Description = "Partitions of the request topic; each keeps at most 5 MiB and 100,000 records, so more partitions keep more unread records.",
            DefaultValueFactory = _ => KafkaStreamOptions.DefaultEmbeddedPartitions,
        };
        partitions.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--partitions must be at least 1.");
            }
        });
        var command = new Command(
            "broker",
            "Run an in-memory Kafka-protocol broker (librdkafka mock cluster) until Ctrl-C. Its data lives as long as the process; " +
            "each partition keeps at most 5 MiB and 100,000 records, the oldest are deleted beyond that, read or not.")
        {
            port,
            topic,
            partitions,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var broker = EmbeddedKafkaBroker.Start();
            var requestTopic = parse.GetValue(topic)!;
            var requestPartitions = broker.CreateTopic(requestTopic, parse.GetValue(partitions));
            foreach (var sideTopic in new[] { TopicNames.Feedback, TopicNames.DeadLetter, TopicNames.Alerts })
            {
                broker.CreateTopic(sideTopic, EmbeddedKafkaBroker.DefaultPartitions);
            }

            var bootstrap = broker.BootstrapServers;
            await using var forwarder = parse.GetValue(port) is { } fixedPort
                ? LoopbackPortForwarder.Start(fixedPort, bootstrap)
                : null;
            if (forwarder is not null)
            {
                bootstrap = $"127.0.0.1:{forwarder.Port},{bootstrap}";
            }

            System.Console.WriteLine(
                $"Kafka broker ready: bootstrap servers {bootstrap}; topic {requestTopic} has {requestPartitions} partitions " +
                $"({TopicNames.Feedback}, {TopicNames.DeadLetter} and {TopicNames.Alerts} {EmbeddedKafkaBroker.DefaultPartitions} each). " +
                $"Each partition keeps at most 5 MiB and 100,000 records; beyond that the oldest are deleted, read or not. Ctrl-C stops it (its data is lost).");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
