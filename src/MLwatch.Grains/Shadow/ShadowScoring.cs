using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Shadow;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Models;
using MLwatch.Grains.Monitoring;
using MLwatch.Inference;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Shadow;

/// <summary>
/// Shadow (mirror) serving for <see cref="InferenceGrain"/>: hands a delivery's images to the executor a second time, for
/// the model's candidate (<see cref="ShadowCandidates"/>), at the same moment as for the active version, so both batch
/// with the other partitions' records; then compares the two answers record by record and applies the comparison to the
/// <see cref="IShadowComparisonGrain"/> of (model, active, candidate) through the commit barrier, exactly once. The
/// candidate's answers go nowhere else: no label statistics, monitor, predictions topic or dead letters.
/// </summary>
public sealed partial class ShadowScoring(
    ShadowCandidates candidates,
    InferenceExecutor executor,
    TouchedGrainRegistry touchedGrains,
    IGrainFactory grains,
    IOptions<ModelsOptions> options,
    TimeProvider clock,
    ILogger<ShadowScoring> logger)
{
    private readonly ShadowOptions _options = options.Value.Shadow;

    /// <summary>
    /// Starts scoring <paramref name="requests"/> with <paramref name="active"/>'s candidate; null when the model has
    /// none, shadowing is off for it, or the candidate's labels differ from the active version's (its answers could not
    /// be compared label for label).
    /// </summary>
    public ShadowRun? Begin(ModelDescriptor active, IReadOnlyList<ImageRequest> requests)
    {
        if (!_options.IsEnabledFor(active.Name) || candidates.For(active.Name) is not { } candidate || candidate.Version == active.Version)
        {
            return null;
        }

        if (!candidate.Labels.SequenceEqual(active.Labels, StringComparer.Ordinal))
        {
            LogLabelsDiffer(logger, candidate.Name, candidate.Version, active.Version);
            return null;
        }

        return new ShadowRun(this, active, candidate, executor.ClassifyAsync(candidate, [.. requests.Select(r => r.Input)]));
    }

    /// <summary>Compares the candidate's answers with <paramref name="activeOutcomes"/> once both are in; a candidate that fails is logged, never fails the delivery.</summary>
    internal async Task CompareAsync(ShadowRun run, Delivery delivery, IReadOnlyList<ImageRequest> requests, ClassificationOutcome[] activeOutcomes)
    {
        ClassificationOutcome[] shadowOutcomes;
        try
        {
            shadowOutcomes = await run.Outcomes;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The stream must not stop for a candidate: these records are simply not compared.
            LogCandidateFailed(logger, exception, run.Candidate.Name, run.Candidate.Version, requests.Count);
            return;
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var comparisons = new List<ShadowComparison>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var (active, shadow) = (activeOutcomes[i], shadowOutcomes[i]);
            if (!active.IsSuccess || !shadow.IsSuccess)
            {
                continue;
            }

            var truth = TrueLabel.IndexOf(requests[i].Record.GetHeader(RecordHeaders.Label), run.Active.Labels);
            comparisons.Add(new ShadowComparison(requests[i].Record.Offset, active.LabelIndex, shadow.LabelIndex, active.Confidence, shadow.Confidence, truth, now));
        }

        if (comparisons.Count == 0)
        {
            return;
        }

        var key = new ShadowComparisonKey(run.Active.Name, run.Active.Version, run.Candidate.Version);
        var batch = new ShadowComparisonBatch(delivery.Source.Topic, [.. comparisons], delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore);
        await touchedGrains.ApplyAsync(grains.GetGrain<IShadowComparisonGrain>(key.ToString()), delivery.Source, g => g.ApplyAsync(batch));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Candidate {Model}@{Version} failed on {Count} record(s); they are not compared with the active version")]
    private static partial void LogCandidateFailed(ILogger logger, Exception exception, string model, string version, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Candidate {Model}@{Version} is not shadowed: its labels differ from those of the active version {Active}")]
    private static partial void LogLabelsDiffer(ILogger logger, string model, string version, string active);
}
