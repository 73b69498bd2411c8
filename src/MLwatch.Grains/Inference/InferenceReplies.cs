using MLwatch.Abstractions.Inference;
using MLwatch.Abstractions.Wire;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// Answers the callers awaiting records (those with <see cref="RecordHeaders.AwaitingReply"/>, i.e. Open Inference
/// Protocol requests) through each request id's <see cref="IInferenceReplyGrain"/>: the prediction once the delivery's
/// effects are applied, the reason once the record is dead-lettered. Records nobody awaits cost a header look-up.
/// </summary>
public sealed class InferenceReplies(IGrainFactory grains)
{
    /// <summary>Answers the awaited records among the classified ones of a delivery (call it after their effects are applied).</summary>
    public async Task CompleteAsync(IEnumerable<(ModelDescriptor Model, List<ImageRequest> Requests, ClassificationOutcome[] Outcomes)> classified)
    {
        List<Task>? replies = null;
        foreach (var (model, requests, outcomes) in classified)
        {
            for (var i = 0; i < requests.Count; i++)
            {
                // Refused outcomes are answered by the dead-letter publisher, with the reason they were dead-lettered for.
                if (requests[i].ReplyTopK is not null && outcomes[i] is { IsSuccess: true } outcome)
                {
                    var top = outcome.TopK ?? [];
                    var reply = new InferenceReply(
                        model.Name,
                        model.Version,
                        outcome.Label,
                        outcome.Confidence,
                        [.. top.Select(c => model.Labels[c.Index])],
                        [.. top.Select(c => c.Probability)],
                        RejectionReason: null,
                        RejectionMessage: null);
                    (replies ??= []).Add(grains.GetGrain<IInferenceReplyGrain>(requests[i].Record.RequestId).CompleteAsync(reply));
                }
            }
        }

        if (replies is not null)
        {
            await Task.WhenAll(replies);
        }
    }

    /// <summary>Answers the awaited records among the dead-lettered ones (call it once the dead letters are written).</summary>
    public Task RejectAsync(IReadOnlyList<(KafkaRecord Record, ImageRejection Rejection)> refused)
    {
        List<Task>? replies = null;
        foreach (var (record, rejection) in refused)
        {
            if (!record.IsExpiredRange && record.GetHeader(RecordHeaders.AwaitingReply) is not null)
            {
                var (model, version) = rejection.ModelVersion?.Split('@', 2) is [var name, var served] ? (name, served) : (record.GetHeader(RecordHeaders.Model) ?? "", "");
                var reply = new InferenceReply(model, version, null, 0f, [], [], rejection.Reason, rejection.Message);
                (replies ??= []).Add(grains.GetGrain<IInferenceReplyGrain>(record.RequestId).CompleteAsync(reply));
            }
        }

        return replies is null ? Task.CompletedTask : Task.WhenAll(replies);
    }
}
