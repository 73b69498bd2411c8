using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Inference;
using MLwatch.Abstractions.Ingest;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Monitoring;
using MLwatch.Grains.Shadow;
using MLwatch.Grains.Speculative;
using MLwatch.Grains.Telemetry;
using MLwatch.Inference;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;
using Orleans.Concurrency;

namespace MLwatch.Grains.Inference;

/// <summary>
/// Classifies each delivery of a partition's records through the silo's <see cref="InferenceExecutor"/> (the turn only
/// hands the images over and awaits them: decoding and ONNX Runtime run on the executor's threads, batched with the
/// other partitions' records), sends one delta per label to its
/// <see cref="ILabelStatsGrain"/> and one batch per model to its <see cref="IModelMonitorGrain"/>, dead-letters what it
/// cannot classify (and notices of records deleted before they were read), counts field problems of the records it
/// classified in <see cref="IIngestWarningsGrain"/>, and records every grain it changed for the silo's commit barrier.
/// Holds no state; several local activations serve different partitions concurrently.
/// </summary>
[StatelessWorker(MaxLocalActivations)]
[ImplicitStreamSubscription(StreamNames.Requests)]
public sealed partial class InferenceGrain(
    RequestReader requestReader,
    DeadLetterPublisher deadLetters,
    PredictionPublisher predictionsOut,
    InferenceReplies replies,
    ShadowScoring shadows,
    SpeculativeServing speculative,
    TouchedGrainRegistry touchedGrains,
    IPartitionCommits commits,
    PoisonRecordIsolation isolation,
    PipelineMetrics metrics,
    IOptions<IngestOptions> ingest,
    TimeProvider clock,
    ILogger<InferenceGrain> logger) : DeliveryConsumerGrain(commits, isolation, logger), IInferenceGrain
{
    /// <summary>
    /// Activations per silo. Each one consumes one delivery at a time, and a delivery spends most of its turn awaiting
    /// the executor and the label grains: with Orleans' default (one per processor) two partitions' deliveries would be in
    /// flight and the executor starved. One per partition the silo may receive, with room to spare; idle ones cost nothing.
    /// </summary>
    public const int MaxLocalActivations = 64;

    private readonly TimeSpan _maxClockSkew = ingest.Value.MaxClockSkew;

    protected override async Task ConsumeAsync(Delivery delivery)
    {
        var refused = new List<(KafkaRecord Record, ImageRejection Rejection)>();
        var requestsByModel = new Dictionary<ModelDescriptor, List<ImageRequest>>();
        foreach (var record in delivery.Records)
        {
            if (record.IsExpiredRange)
            {
                refused.Add((record, ExpiredRecords.Rejection(record)));
            }
            else if (requestReader.TryRead(record, out var request, out var rejection))
            {
                if (!requestsByModel.TryGetValue(request.Model, out var requests))
                {
                    requestsByModel[request.Model] = requests = [];
                }

                requests.Add(request);
            }
            else
            {
                refused.Add((record, rejection!));
            }
        }

        var topic = delivery.Source.Topic;
        var (partition, first, last, committed) = (delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore);
        var observationsByLabel = new Dictionary<LabelStatsKey, List<LabelObservation>>();
        var warnings = new List<IngestWarning>();
        var applications = new List<Task>();
        var answered = new List<(ModelDescriptor Model, List<ImageRequest> Requests, ClassificationOutcome[] Outcomes)>(requestsByModel.Count);
        // Every model's images go to the executor at once; each model's outcomes are handled as they come.
        // A model's candidate, if it has one, scores the same images at the same time (see ShadowScoring); a model with
        // a fallback is answered by whichever of the two is in time (see SpeculativeServing), and counted under it.
        var classified = requestsByModel.Select(pair => (Requested: pair.Key, Requests: pair.Value, Answer: speculative.ClassifyAsync(pair.Key, [.. pair.Value.Select(r => r.Input)]), Shadow: shadows.Begin(pair.Key, pair.Value))).ToList();
        foreach (var (requested, requests, answering, shadow) in classified)
        {
            var answer = await answering;
            var (model, outcomes) = (answer.AnsweredBy, answer.Outcomes);
            answered.Add((model, requests, outcomes));
            applications.Add(speculative.RecordAsync(delivery, requested, answer, requests));
            if (shadow is not null && !answer.IsFallback)
            {
                applications.Add(shadow.CompareAsync(delivery, requests, outcomes));
            }

            var now = clock.GetUtcNow();
            var predictions = new List<ModelPrediction>(outcomes.Length);
            List<long>? versionErrors = null;
            for (var i = 0; i < outcomes.Length; i++)
            {
                var record = requests[i].Record;
                if (outcomes[i].Rejection is { } rejection)
                {
                    refused.Add((record, rejection with { ModelVersion = model.ToString() }));
                    if (ImageRejectionReasons.IsVersionFault(rejection.Reason))
                    {
                        (versionErrors ??= []).Add(record.Offset);
                    }

                    continue;
                }

                var key = new LabelStatsKey(model.Name, model.Version, outcomes[i].Label!);
                if (!observationsByLabel.TryGetValue(key, out var observations))
                {
                    observationsByLabel[key] = observations = [];
                }

                var sent = SendTime.Of(record, now, _maxClockSkew);
                var labelHeader = record.GetHeader(RecordHeaders.Label);
                var truth = TrueLabel.IndexOf(labelHeader, model.Labels);
                var latencyMs = sent.LatencyMsAt(now);
                AddWarnings(warnings, record, sent, unknownLabel: truth < 0 && !string.IsNullOrWhiteSpace(labelHeader));
                observations.Add(new LabelObservation(
                    record.Partition,
                    record.Offset,
                    outcomes[i].Confidence,
                    now.ToUnixTimeMilliseconds(),
                    latencyMs,
                    truth < 0 ? null : truth == outcomes[i].LabelIndex));
                predictions.Add(new ModelPrediction(record.Partition, record.Offset, record.RequestId, outcomes[i].LabelIndex, outcomes[i].Confidence, now.ToUnixTimeMilliseconds(), truth, latencyMs ?? float.NaN));
            }

            applications.Add(predictionsOut.PublishAsync(model, requests, outcomes, now));
            if (predictions.Count > 0 || versionErrors is not null)
            {
                var monitor = GrainFactory.GetGrain<IModelMonitorGrain>(new ModelKey(model.Name, model.Version).ToString());
                var batch = new ModelPredictionBatch(topic, [.. predictions], partition, first, last, committed, versionErrors?.ToArray(), now.ToUnixTimeMilliseconds());
                applications.Add(touchedGrains.ApplyAsync(monitor, delivery.Source, g => g.ApplyPredictionsAsync(batch)));
            }
        }

        applications.AddRange(observationsByLabel.Select(pair =>
            touchedGrains.ApplyAsync(GrainFactory.GetGrain<ILabelStatsGrain>(pair.Key.ToString()), delivery.Source, g => g.ApplyAsync(new LabelObservationBatch(topic, [.. pair.Value], partition, first, last, committed)))));
        if (warnings.Count > 0)
        {
            LogWarnings(Logger, warnings.Count, topic, partition, warnings[0].Offset, warnings[0].ReasonCode);
            var batch = new IngestWarningBatch([.. warnings], partition, first, last, committed);
            applications.Add(touchedGrains.ApplyAsync(GrainFactory.GetGrain<IIngestWarningsGrain>(topic), delivery.Source, g => g.ApplyAsync(batch)));
        }

        if (refused.Count > 0)
        {
            LogRefused(Logger, refused.Count, topic, refused[0].Record.Partition, refused[0].Rejection.Reason, refused[0].Rejection.Message);
            applications.Add(deadLetters.DeadLetterAsync(delivery, refused));
        }

        await Task.WhenAll(applications);
        metrics.Predicted(observationsByLabel);
        // Awaiting callers are answered once the delivery's effects are applied (a replay answers them again, to no effect).
        await replies.CompleteAsync(answered);
    }

    private static void AddWarnings(List<IngestWarning> warnings, KafkaRecord record, SendTime sent, bool unknownLabel)
    {
        foreach (var reason in (ReadOnlySpan<string?>)[sent.SentAtProblem, sent.TimestampProblem, unknownLabel ? IngestWarningReasons.LabelUnknown : null])
        {
            if (reason is not null)
            {
                warnings.Add(new IngestWarning(record.Partition, record.Offset, reason));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead-lettering {Count} record(s) of {Topic} partition {Partition}; first reason {Reason}: {Message}")]
    private static partial void LogRefused(ILogger logger, int count, string topic, int partition, string reason, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Counting {Count} field problem(s) of classified records of {Topic} partition {Partition}; first at offset {Offset}: {Reason}")]
    private static partial void LogWarnings(ILogger logger, int count, string topic, int partition, long offset, string reason);
}
