using System.Globalization;
using Microsoft.Extensions.Logging;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Inference;
using MLwatch.Abstractions.Ingest;
using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MLwatch.Grains.Inference;

/// <summary>
/// Classifies each delivery of a partition's records in one ONNX batch per model, sends one delta per label to its
/// <see cref="ILabelStatsGrain"/>, dead-letters what it cannot classify, and records every grain it changed for the
/// silo's commit barrier. Holds no state; several local activations serve different partitions concurrently.
/// </summary>
[StatelessWorker]
[ImplicitStreamSubscription(StreamNames.Requests)]
public sealed partial class InferenceGrain(
    RequestReader requestReader,
    ImageClassifier classifier,
    DeadLetterPublisher deadLetters,
    TouchedGrainRegistry touchedGrains,
    TimeProvider clock,
    ILogger<InferenceGrain> logger) : Grain, IInferenceGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<KafkaRecord>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<KafkaRecord>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<KafkaRecord>> items)
    {
        var refused = new List<(KafkaRecord Record, ImageRejection Rejection)>();
        var requestsByModel = new Dictionary<ModelDescriptor, List<ImageRequest>>();
        foreach (var item in items)
        {
            if (requestReader.TryRead(item.Item, out var request, out var rejection))
            {
                if (!requestsByModel.TryGetValue(request.Model, out var requests))
                {
                    requestsByModel[request.Model] = requests = [];
                }

                requests.Add(request);
            }
            else
            {
                refused.Add((item.Item, rejection!));
            }
        }

        var observationsByLabel = new Dictionary<LabelStatsKey, List<LabelObservation>>();
        foreach (var (model, requests) in requestsByModel)
        {
            var outcomes = classifier.Classify(model, [.. requests.Select(r => r.Image)]);
            var now = clock.GetUtcNow();
            for (var i = 0; i < outcomes.Count; i++)
            {
                var record = requests[i].Record;
                if (outcomes[i].Rejection is { } rejection)
                {
                    refused.Add((record, rejection));
                    continue;
                }

                var key = new LabelStatsKey(model.Name, model.Version, outcomes[i].Label!);
                if (!observationsByLabel.TryGetValue(key, out var observations))
                {
                    observationsByLabel[key] = observations = [];
                }

                observations.Add(new LabelObservation(
                    record.Partition,
                    record.Offset,
                    outcomes[i].Confidence,
                    now.ToUnixTimeMilliseconds(),
                    (float)(now - SentAt(record)).TotalMilliseconds,
                    IsCorrect(record, model, outcomes[i].LabelIndex)));
            }
        }

        var topic = items.Count > 0 ? items[0].Item.Topic : string.Empty;
        var applications = observationsByLabel
            .Select(pair => ApplyAsync(GrainFactory.GetGrain<ILabelStatsGrain>(pair.Key.ToString()), g => g.ApplyAsync(new LabelObservationBatch(topic, [.. pair.Value]))))
            .ToList();
        if (refused.Count > 0)
        {
            LogRefused(refused.Count, topic, refused[0].Record.Partition, refused[0].Rejection.Reason, refused[0].Rejection.Message);
            // The dead-letter topic must hold a record before its offset can be committed.
            await deadLetters.PublishAsync(refused);
            var entries = refused.Select(r => new DeadLetterEntry(r.Record.Partition, r.Record.Offset, r.Rejection.Reason)).OrderBy(e => e.Offset).ToArray();
            applications.Add(ApplyAsync(GrainFactory.GetGrain<IDeadLetterStatsGrain>(topic), g => g.ApplyAsync(new DeadLetterBatch(entries))));
        }

        await Task.WhenAll(applications);
    }

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex);
        return Task.CompletedTask;
    }

    private async Task ApplyAsync<TGrain>(TGrain grain, Func<TGrain, ValueTask<Guid>> apply)
        where TGrain : IFlushableGrain
    {
        var incarnation = await apply(grain);
        touchedGrains.Touched(grain, incarnation);
    }

    private static DateTimeOffset SentAt(KafkaRecord record) =>
        long.TryParse(record.GetHeader(RecordHeaders.SentAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : record.Timestamp;

    /// <summary>Compares with the ground-truth header, given as a label name or a class index; null when absent or unknown.</summary>
    private static bool? IsCorrect(KafkaRecord record, ModelDescriptor model, int predicted)
    {
        var truth = record.GetHeader(RecordHeaders.Label)?.Trim();
        if (string.IsNullOrEmpty(truth))
        {
            return null;
        }

        for (var i = 0; i < model.Labels.Count; i++)
        {
            if (string.Equals(model.Labels[i], truth, StringComparison.OrdinalIgnoreCase))
            {
                return i == predicted;
            }
        }

        return int.TryParse(truth, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < model.Labels.Count
            ? index == predicted
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead-lettering {Count} record(s) of {Topic} partition {Partition}; first reason {Reason}: {Message}")]
    private partial void LogRefused(int count, string topic, int partition, string reason, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The requests stream reported an error.")]
    private partial void LogStreamError(Exception exception);
}
