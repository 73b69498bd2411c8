using MLwatch.Abstractions.Ingest;
using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api;

/// <summary>Reads live grain state for the API and the demo: one call per label grain, in parallel.</summary>
public sealed class ModelStatsQuery(IGrainFactory grains, ModelCatalog catalog)
{
    /// <summary>The models this silo serves.</summary>
    public IReadOnlyList<ModelDescriptor> Models => catalog.All;

    /// <summary>Finds a served model by name.</summary>
    public ModelDescriptor? FindModel(string name) => catalog.TryGet(name, out var model) ? model : null;

    /// <summary>Statistics of every label of <paramref name="model"/>, in label order.</summary>
    public async Task<ModelLabelStats> GetLabelsAsync(ModelDescriptor model)
    {
        var snapshots = await Task.WhenAll(model.Labels.Select(label => GetLabelAsync(model, label)));
        return new ModelLabelStats(model.Name, model.Version, snapshots);
    }

    /// <summary>Statistics of one label.</summary>
    public Task<LabelStatsSnapshot> GetLabelAsync(ModelDescriptor model, string label) =>
        grains.GetGrain<ILabelStatsGrain>(new LabelStatsKey(model.Name, model.Version, label).ToString()).GetSnapshotAsync().AsTask();

    /// <summary>Dead-lettered records of <paramref name="topic"/> by reason code.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetDeadLettersAsync(string topic = TopicNames.Requests) =>
        await grains.GetGrain<IDeadLetterStatsGrain>(topic).GetCountsAsync();
}
