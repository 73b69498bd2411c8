using MLwatch.Abstractions.Ingest;
using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;
using MLwatch.Inference.Models;

namespace MLwatch.Query;

/// <summary>
/// Reads live grain state for the API, the demo and the dashboard: one call per label grain, in parallel. Works with a
/// silo's <see cref="IGrainFactory"/> and with an Orleans client's alike.
/// </summary>
public sealed class ModelStatsQuery(IGrainFactory grains, ModelCatalog catalog) : IModelStatsSource
{
    /// <summary>The models this silo serves.</summary>
    public IReadOnlyList<ModelDescriptor> Models => catalog.All;

    /// <inheritdoc />
    public IReadOnlyList<ServedModel> ServedModels => [.. catalog.All.Select(m => new ServedModel(m.Name, m.Version, m.Labels))];

    /// <summary>Finds a served model by name.</summary>
    public ModelDescriptor? FindModel(string name) => catalog.TryGet(name, out var model) ? model : null;

    /// <summary>Finds one version of a model (any this silo knows, served or not); a null version means the served one.</summary>
    public ModelDescriptor? FindModel(string name, string? version) =>
        version is null ? FindModel(name) : catalog.TryGet(name, version, out var model) ? model : null;

    /// <summary>Every version of <paramref name="name"/> this silo knows, in version order.</summary>
    public IReadOnlyList<ModelDescriptor> Versions(string name) => catalog.Versions(name);

    /// <summary>Statistics of every label of <paramref name="model"/>, in label order.</summary>
    public Task<ModelLabelStats> GetLabelsAsync(ModelDescriptor model) => GetLabelsAsync(model.Name, model.Version, model.Labels);

    /// <summary>Statistics of one label.</summary>
    public Task<LabelStatsSnapshot> GetLabelAsync(ModelDescriptor model, string label) => GetLabelAsync(model.Name, model.Version, label);

    /// <inheritdoc />
    public async Task<ModelLabelStats?> GetLabelsAsync(string model) =>
        FindModel(model) is { } descriptor ? await GetLabelsAsync(descriptor) : null;

    /// <inheritdoc />
    public async Task<LabelStatsSnapshot?> GetLabelAsync(string model, string label) =>
        FindModel(model) is { } descriptor && descriptor.Labels.Contains(label, StringComparer.Ordinal)
            ? await GetLabelAsync(descriptor, label)
            : null;

    /// <summary>Dead-lettered records of <paramref name="topic"/> by reason code.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetDeadLettersAsync(string topic = TopicNames.Requests) =>
        await grains.GetGrain<IDeadLetterStatsGrain>(topic).GetCountsAsync();

    /// <summary>Field problems of classified records of <paramref name="topic"/> (absurd mlwatch-sent-at, unknown mlwatch-label, ...) by reason code.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetIngestWarningsAsync(string topic = TopicNames.Requests) =>
        await grains.GetGrain<IIngestWarningsGrain>(topic).GetCountsAsync();

    private async Task<ModelLabelStats> GetLabelsAsync(string model, string version, IReadOnlyList<string> labels)
    {
        var snapshots = await Task.WhenAll(labels.Select(label => GetLabelAsync(model, version, label)));
        return new ModelLabelStats(model, version, snapshots);
    }

    private Task<LabelStatsSnapshot> GetLabelAsync(string model, string version, string label) =>
        grains.GetGrain<ILabelStatsGrain>(new LabelStatsKey(model, version, label).ToString()).GetSnapshotAsync().AsTask();
}
