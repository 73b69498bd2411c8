using MLwatch.Abstractions.Ingest;
using MLwatch.Abstractions.Monitoring;
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
        var labeled = LabeledByLabelAsync(model, version);
        var snapshots = await Task.WhenAll(labels.Select(label => GetLabelStatsAsync(model, version, label)));
        return new ModelLabelStats(model, version, WithLabeled(snapshots, labels, await labeled));
    }

    private async Task<LabelStatsSnapshot> GetLabelAsync(string model, string version, string label)
    {
        var labels = FindModel(model, version)?.Labels ?? [label];
        var labeled = LabeledByLabelAsync(model, version);
        var snapshot = await GetLabelStatsAsync(model, version, label);
        return WithLabeled([snapshot], labels, await labeled)[0];
    }

    private Task<LabelStatsSnapshot> GetLabelStatsAsync(string model, string version, string label) =>
        grains.GetGrain<ILabelStatsGrain>(new LabelStatsKey(model, version, label).ToString()).GetSnapshotAsync().AsTask();

    private async Task<LabeledCounts[]> LabeledByLabelAsync(string model, string version) =>
        (await grains.GetGrain<IModelMonitorGrain>(new ModelKey(model, version).ToString()).GetDriftAsync()).LabeledByLabel ?? [];

    /// <summary>
    /// One meaning of accuracy everywhere: the model monitor's labeled and correct counts, which join true labels from
    /// the record's mlwatch-label header and from the feedback topic however late they come (the label grain knows
    /// only the header's).
    /// </summary>
    private static LabelStatsSnapshot[] WithLabeled(LabelStatsSnapshot[] snapshots, IReadOnlyList<string> labels, LabeledCounts[] labeled)
    {
        var byLabel = new Dictionary<string, LabeledCounts>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(labels.Count, labeled.Length); i++)
        {
            byLabel.TryAdd(labels[i], labeled[i]);
        }

        return [.. snapshots.Select(s => byLabel.TryGetValue(s.Label, out var counts) ? s with { LabeledCount = counts.Labeled, CorrectCount = counts.Correct } : s with { LabeledCount = 0, CorrectCount = 0 })];
    }
}
