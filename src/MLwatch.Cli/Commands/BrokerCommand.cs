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
        var command = new Command("broker", "Run an in-memory Kafka-protocol broker (librdkafka mock cluster) until Ctrl-C. Its data lives as long as the process.")
        {
            port,
            topic,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var broker = EmbeddedKafkaBroker.Start();
            var requestTopic = parse.GetValue(topic)!;
            var partitions = broker.EnsureTopic(requestTopic);
            broker.EnsureTopic(TopicNames.DeadLetter);
            var bootstrap = broker.BootstrapServers;
            await using var forwarder = parse.GetValue(port) is { } fixedPort
                ? LoopbackPortForwarder.Start(fixedPort, bootstrap)
                : null;
            if (forwarder is not null)
            {
                bootstrap = $"127.0.0.1:{forwarder.Port},{bootstrap}";
            }

            System.Console.WriteLine($"Kafka broker ready: bootstrap servers {bootstrap}; topic {requestTopic} has {partitions} partitions. Ctrl-C stops it (its data is lost).");
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
