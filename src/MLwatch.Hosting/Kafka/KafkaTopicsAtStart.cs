using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Monitoring;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Hosting.Kafka;

/// <summary>
/// Creates the topics the silo reads and writes (requests, feedback, dead letters, alerts) when they are missing, before
/// Orleans starts its stream providers: it is registered before <c>UseOrleans</c>, and hosted services start in
/// registration order. Without it the first reader of a topic nobody wrote yet fails ("Subscribed topic not
/// available"), and the embedded broker would create the request topic with its default 4 partitions.
/// </summary>
internal sealed class KafkaTopicsAtStart(
    KafkaEndpoint endpoint,
    IOptionsMonitor<KafkaStreamOptions> kafka,
    IOptions<IngestOptions> ingest,
    IOptions<MonitoringOptions> monitoring,
    ILoggerFactory loggerFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = kafka.Get(StreamNames.Provider);
        var provisioner = new KafkaTopicProvisioner(endpoint, loggerFactory.CreateLogger<KafkaTopicProvisioner>());
        await provisioner.EnsureAsync(
            options,
            [options.Topic, monitoring.Value.FeedbackTopic, ingest.Value.DeadLetterTopic, monitoring.Value.AlertsTopic],
            cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
