using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Speculative;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Models;
using MLwatch.Grains.Telemetry;
using MLwatch.Inference;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Speculative;

/// <summary>
/// Speculative serving for <see cref="InferenceGrain"/>: a model with a fallback (Models:Fallbacks) has each delivery's
/// images classified by both at once; the primary's answer is used when it comes within the deadline, else the
/// fallback's. The answering version is what the prediction is counted under (label statistics, monitor, predictions
/// topic), and <see cref="ISpeculativeServingGrain"/> counts, exactly once, which version answered each record. A model
/// without a fallback goes straight to the executor.
/// </summary>
public sealed partial class SpeculativeServing(
    InferenceExecutor executor,
    ModelCatalog catalog,
    TouchedGrainRegistry touchedGrains,
    IGrainFactory grains,
    IOptions<ModelsOptions> options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<SpeculativeServing> logger)
{
    private readonly Dictionary<string, FallbackOptions> _fallbacks = new(options.Value.Fallbacks, StringComparer.Ordinal);

    // On the pipeline's meter, so it is exported with the other pipeline instruments (model, answered_by, fallback).
    private readonly Counter<long> _answers = meters.Create(PipelineMetrics.MeterName).CreateCounter<long>(
        "mlwatch.speculative.answers", "{record}", "Records of a model served with a fallback, by the model@version that answered and whether it was the fallback.");

    /// <summary>Classifies <paramref name="inputs"/> with <paramref name="model"/>, or with its fallback when the primary misses its deadline or fails.</summary>
    public async Task<SpeculativeAnswer> ClassifyAsync(ModelDescriptor model, IReadOnlyList<ClassificationInput> inputs)
    {
        var primary = executor.ClassifyAsync(model, inputs);
        if (!_fallbacks.TryGetValue(model.Name, out var settings) || !catalog.TryGet(settings.Model, out var fallbackModel))
        {
            return new SpeculativeAnswer(model, await primary, false);
        }

        var fallback = executor.ClassifyAsync(fallbackModel, inputs);
        using var deadlinePassed = new CancellationTokenSource();
        var deadline = Task.Delay(settings.Deadline, clock, deadlinePassed.Token);
        if (await Task.WhenAny(primary, deadline) == primary && primary.IsCompletedSuccessfully)
        {
            await deadlinePassed.CancelAsync();
            Forget(fallback);
            return new SpeculativeAnswer(model, primary.Result, false);
        }

        // The primary keeps running (its images are queued already); its late answer is dropped.
        Forget(primary);
        try
        {
            return new SpeculativeAnswer(fallbackModel, await fallback, true);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Without a fallback answer, the primary's, however late, still counts.
            LogFallbackFailed(logger, exception, fallbackModel.Name, fallbackModel.Version, model.Name);
            return new SpeculativeAnswer(model, await primary, false);
        }
    }

    /// <summary>Counts which version answered <paramref name="requests"/> for a model served with a fallback; nothing for other models.</summary>
    public async Task RecordAsync(Delivery delivery, ModelDescriptor requested, SpeculativeAnswer answer, IReadOnlyList<ImageRequest> requests)
    {
        if (!_fallbacks.ContainsKey(requested.Name))
        {
            return;
        }

        long[] offsets = [.. requests.Where((_, i) => answer.Outcomes[i].IsSuccess).Select(r => r.Record.Offset)];
        if (offsets.Length == 0)
        {
            return;
        }

        var batch = new SpeculativeAnswerBatch(delivery.Source.Topic, answer.AnsweredBy.ToString(), answer.IsFallback, offsets, delivery.Source.Partition, delivery.FirstOffset, delivery.LastOffset, delivery.CommittedBefore);
        await touchedGrains.ApplyAsync(grains.GetGrain<ISpeculativeServingGrain>(requested.Name), delivery.Source, g => g.ApplyAsync(batch));
        _answers.Add(offsets.Length, new KeyValuePair<string, object?>("model", requested.Name), new KeyValuePair<string, object?>("answered_by", batch.AnsweredBy), new KeyValuePair<string, object?>("fallback", answer.IsFallback));
    }

    // An answer nobody waits for: observe its failure (a late primary after shutdown, say) so it is not reported as unobserved.
    private static void Forget(Task<ClassificationOutcome[]> answer) =>
        _ = answer.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fallback {Fallback}@{Version} of model {Model} failed; the primary's late answer is used")]
    private static partial void LogFallbackFailed(ILogger logger, Exception exception, string fallback, string version, string model);
}
