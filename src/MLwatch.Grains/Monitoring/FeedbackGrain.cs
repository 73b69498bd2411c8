using System.Text;
using Microsoft.Extensions.Logging;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;
using Orleans.Concurrency;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// Reads delayed ground-truth labels from the feedback topic (key = request id, value = label name or index, optional
/// mlwatch-model header) and hands them to the model monitors, which join them to their predictions exactly once.
/// Records it cannot use, and notices of records deleted before they were read, go to the dead-letter topic with the
/// reason. Stateless, like the inference grains.
/// </summary>
[StatelessWorker]
[ImplicitStreamSubscription(StreamNames.Feedback)]
public sealed partial class FeedbackGrain(
    ModelCatalog catalog,
    DeadLetterPublisher deadLetters,
    TouchedGrainRegistry touchedGrains,
    IPartitionCommits commits,
    PoisonRecordIsolation isolation,
    ILogger<FeedbackGrain> logger) : DeliveryConsumerGrain(commits, isolation, logger), IFeedbackGrain
{
    protected override async Task ConsumeAsync(Delivery delivery)
    {
        var refused = new List<(KafkaRecord Record, ImageRejection Rejection)>();
        var feedbackByModel = new Dictionary<ModelDescriptor, List<LabelFeedback>>();
        foreach (var record in delivery.Records)
        {
            if (Read(record, out var model, out var feedback) is { } rejection)
            {
                refused.Add((record, rejection));
                continue;
            }

            if (!feedbackByModel.TryGetValue(model!, out var list))
            {
                feedbackByModel[model!] = list = [];
            }

            list.Add(feedback);
        }

        var topic = delivery.Source.Topic;
        var applications = feedbackByModel
            .Select(pair => touchedGrains.ApplyAsync(
                GrainFactory.GetGrain<IModelMonitorGrain>(new ModelKey(pair.Key.Name, pair.Key.Version).ToString()),
                delivery.Source,
                g => g.ApplyFeedbackAsync(new LabelFeedbackBatch(topic, [.. pair.Value], delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore))))
            .ToList();
        if (refused.Count > 0)
        {
            LogRefused(Logger, refused.Count, topic, refused[0].Rejection.Reason, refused[0].Rejection.Message);
            applications.Add(deadLetters.DeadLetterAsync(delivery, refused));
        }

        await Task.WhenAll(applications);
    }

    private ImageRejection? Read(KafkaRecord record, out ModelDescriptor? model, out LabelFeedback feedback)
    {
        feedback = default;
        model = null;
        if (record.IsExpiredRange)
        {
            return ExpiredRecords.Rejection(record);
        }

        if (record.Key is null or { Length: 0 })
        {
            return new ImageRejection(FeedbackRejectionReasons.MissingRequestId, "Feedback needs the request id as its key (the key of the request record, or \"{topic}/{partition}/{offset}\" when that had none).");
        }

        var modelName = record.GetHeader(RecordHeaders.Model);
        if (string.IsNullOrWhiteSpace(modelName))
        {
            model = catalog.Default;
        }
        else if (!catalog.TryGet(modelName.Trim(), out model))
        {
            return new ImageRejection(IngestRejectionReasons.UnknownModel, $"Header {RecordHeaders.Model} names model '{modelName}', which this cluster does not serve; served: {string.Join(", ", catalog.All.Select(m => m.Name))}.");
        }

        var text = Encoding.UTF8.GetString(record.Value);
        var index = TrueLabel.IndexOf(text, model.Labels);
        if (index < 0)
        {
            return new ImageRejection(FeedbackRejectionReasons.UnknownLabel, $"Feedback value '{Truncate(text)}' is neither a label of {model.Name} nor a class index 0–{model.Labels.Count - 1}; its labels: {string.Join(", ", model.Labels)}.");
        }

        feedback = new LabelFeedback(record.Partition, record.Offset, record.RequestId, index);
        return null;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead-lettering {Count} feedback record(s) of {Topic}; first reason {Reason}: {Message}")]
    private static partial void LogRefused(ILogger logger, int count, string topic, string reason, string message);
}
