using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Models;
using MLwatch.Grains.Monitoring;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Hosting.Kafka;

/// <summary>
/// Creates the topics the silo reads and writes (requests, feedback, dead letters, alerts, the models control topic and,
/// when on, predictions) when they are missing, before
/// Orleans starts its stream providers: it is registered before <c>UseOrleans</c>, and hosted services start in
/// registration order. Without it the first reader of a topic nobody wrote yet fails ("Subscribed topic not
/// available"), and the embedded broker would create the request topic with its default 4 partitions.
/// </summary>
internal sealed class KafkaTopicsAtStart(
    KafkaEndpoint endpoint,
    IOptionsMonitor<KafkaStreamOptions> kafka,
    IOptions<IngestOptions> ingest,
    IOptions<MonitoringOptions> monitoring,
    IOptions<ModelsOptions> models,
    ILoggerFactory loggerFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = kafka.Get(StreamNames.Provider);
        var provisioner = new KafkaTopicProvisioner(endpoint, loggerFactory.CreateLogger<KafkaTopicProvisioner>());
        await provisioner.EnsureAsync(
            options,
            [options.Topic, monitoring.Value.FeedbackTopic, ingest.Value.DeadLetterTopic, monitoring.Value.AlertsTopic, models.Value.ControlTopic,
                .. models.Value.PublishPredictions ? [models.Value.PredictionsTopic] : Array.Empty<string>()],
            cancellationToken,
            // A publish record carries a model: a broker's default limit (1 MB) would refuse most.
            new Dictionary<string, Dictionary<string, string>> { [models.Value.ControlTopic] = new() { ["max.message.bytes"] = (models.Value.MaxRecordBytes + (64 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture) } });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
