using System.Diagnostics;
using System.Diagnostics.Metrics;
using MLwatch.Abstractions.Stats;
using MLwatch.Grains.Checkpointing;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Telemetry;
using MLwatch.Streaming.Kafka;
using MLwatch.Streaming.Kafka.Telemetry;

namespace MLwatch.Grains.Telemetry;

/// <summary>
/// The stream consumers' instruments (meter <see cref="MeterName"/>): records consumed and the time their processing
/// took, per partition (OpenTelemetry's messaging conventions); predictions and their end-to-end latency per model
/// version; dead letters by reason. Each is recorded once the outcome it counts is known: a delivery consumed, a
/// prediction applied to every grain it was meant for, a dead letter acknowledged by Kafka and counted. So an attempt
/// that fails counts nothing, except a dead letter that was published before another part of its delivery failed: it is
/// published and counted again when the delivery comes again, as the dead-letter topic then holds it twice. Counts are
/// this silo's work since it started: a replay after a rewind (a lost grain activation) counts again. The exactly-once
/// totals are the API's; these are for rates and alerts (Prometheus' rate and increase handle a restarted silo's reset).
/// </summary>
public sealed class PipelineMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MLwatch.Pipeline";

    /// <summary>Attribute: a dead letter's reason code (as in <c>mlwatch-error-code</c> and <c>GET /api/deadletters</c>).</summary>
    public const string Reason = "reason";

    /// <summary>Attribute (OpenTelemetry messaging conventions): the operation, <c>process</c> (records pushed to a consumer).</summary>
    public const string MessagingOperation = "messaging.operation.name";

    // OpenTelemetry's advice for messaging.process.duration.
    private static readonly IReadOnlyList<double> ProcessBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // From sent to predicted: milliseconds when the pipeline keeps up, minutes when a backlog drains.
    private static readonly IReadOnlyList<double> EndToEndBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Counter<long> _consumed;
    private readonly Histogram<double> _processDuration;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _endToEnd;
    private readonly Counter<long> _deadLetters;

    private readonly ModelServingStatistics? _serving;

    /// <summary>Creates the instruments; end-to-end latencies also go to <paramref name="serving"/>, the silo's serving statistics, when given.</summary>
    public PipelineMetrics(IMeterFactory meters, ModelServingStatistics? serving = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _serving = serving;
        var meter = meters.Create(MeterName);
        _consumed = meter.CreateCounter<long>(
            "messaging.client.consumed.messages", "{message}", "Records delivered to MLwatch's consumers and consumed (classified, joined or dead-lettered).");
        _processDuration = meter.CreateHistogram(
            "messaging.process.duration", "s", "Time one delivery of a partition's records took to consume, retries and isolation of failing records included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProcessBuckets });
        _predictions = meter.CreateCounter<long>(
            "mlwatch.predictions", "{prediction}", "Records classified and applied to their label statistics and model monitor.");
        _endToEnd = meter.CreateHistogram(
            "mlwatch.prediction.end_to_end.duration", "s", "From a record's mlwatch-sent-at (else its Kafka timestamp) to its prediction.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EndToEndBuckets });
        _deadLetters = meter.CreateCounter<long>(
            "mlwatch.deadletters", "{record}", "Records published to the dead-letter topic and counted, by reason.");
    }

    /// <summary>The records of <paramref name="delivery"/> were consumed (applied, or isolated and dead-lettered), in <paramref name="duration"/>.</summary>
    public void Processed(Delivery delivery, TimeSpan duration)
    {
        var tags = KafkaMetrics.Tags(delivery.Source);
        tags.Add(MessagingOperation, "process");
        // A notice of records deleted before they were read is no record delivered: those count as records-expired dead letters.
        var records = delivery.Records.Count(r => !r.IsExpiredRange);
        if (records > 0)
        {
            _consumed.Add(records, tags);
        }

        _processDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>The observations of one delivery, by label, were applied: counted per model version, with their end-to-end latencies.</summary>
    public void Predicted(IReadOnlyDictionary<LabelStatsKey, List<LabelObservation>> observationsByLabel)
    {
        foreach (var (key, observations) in observationsByLabel)
        {
            var tags = new TagList { { InferenceMetrics.Model, key.Model }, { InferenceMetrics.ModelVersion, key.Version } };
            _predictions.Add(observations.Count, tags);
            foreach (var observation in observations)
            {
                if (observation.LatencyMs is { } latencyMs)
                {
                    _endToEnd.Record(latencyMs / 1000.0, tags);
                }
            }

            _serving?.For(key.Model, key.Version).Delivered(observations.Where(o => o.LatencyMs is not null).Select(o => (double)o.LatencyMs!.Value));
        }
    }

    /// <summary>Records of <paramref name="topic"/> were dead-lettered and counted; a notice of expired records counts every record it stands for.</summary>
    public void DeadLettered(string topic, IReadOnlyList<(KafkaRecord Record, ImageRejection Rejection)> refused)
    {
        foreach (var (record, rejection) in refused)
        {
            _deadLetters.Add(record.RecordCount, new TagList { { KafkaMetrics.Topic, topic }, { Reason, rejection.Reason } });
        }
    }
}
