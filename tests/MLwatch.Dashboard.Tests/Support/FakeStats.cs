using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;
using MLwatch.Query;

namespace MLwatch.Dashboard.Tests.Support;

/// <summary>A test double of the grain-state queries: models and label snapshots the test sets, read as the pages read them.</summary>
internal sealed class FakeStats : IModelStatsSource, IClusterStatusSource
{
    private readonly Dictionary<string, (string Version, List<LabelStatsSnapshot> Labels)> _models = new(StringComparer.Ordinal);

    public Dictionary<string, long> DeadLetters { get; } = [];

    public List<SiloSummary> Silos { get; } = [];

    public int LabelReads { get; private set; }

    /// <summary>When set, every read fails with what it returns (a silo dying, a bug).</summary>
    public Func<Exception>? Failure { get; set; }

    /// <summary>When set, every read waits for it first (a read routed to a frozen silo).</summary>
    public TaskCompletionSource? Hang { get; set; }

    public IReadOnlyList<ServedModel> ServedModels =>
        [.. _models.Select(m => new ServedModel(m.Key, m.Value.Version, [.. m.Value.Labels.Select(l => l.Label)]))];

    /// <summary>Serves <paramref name="model"/> with labels of the given counts and mean confidences.</summary>
    public FakeStats WithModel(string model, params (string Label, long Count, double Mean)[] labels)
    {
        _models[model] = ("1", [.. labels.Select(l => Snapshot(model, l.Label, l.Count, l.Mean))]);
        return this;
    }

    /// <summary>Replaces one label's snapshot.</summary>
    public void Set(LabelStatsSnapshot snapshot)
    {
        var labels = _models[snapshot.Model].Labels;
        labels[labels.FindIndex(l => l.Label == snapshot.Label)] = snapshot;
    }

    public static LabelStatsSnapshot Snapshot(string model, string label, long count, double mean, MinuteBucket[]? minutes = null, long[]? histogram = null, long[]? latency = null) =>
        new(model, "1", label, count, mean, 0.01, count == 0 ? 0 : mean - 0.1, count == 0 ? 0 : Math.Min(1, mean + 0.1),
            histogram ?? new long[20], count == 0 ? null : DateTimeOffset.UnixEpoch, 0, 0, 0, minutes ?? [])
        {
            LatencyHistogram = latency ?? [],
        };

    public async Task<ModelLabelStats?> GetLabelsAsync(string model)
    {
        LabelReads++;
        await ReadAsync();
        return _models.TryGetValue(model, out var m) ? new ModelLabelStats(model, m.Version, [.. m.Labels]) : null;
    }

    public async Task<LabelStatsSnapshot?> GetLabelAsync(string model, string label)
    {
        await ReadAsync();
        return _models.TryGetValue(model, out var m) ? m.Labels.FirstOrDefault(l => l.Label == label) : null;
    }

    public async Task<IReadOnlyDictionary<string, long>> GetDeadLettersAsync(string topic = TopicNames.Requests)
    {
        await ReadAsync();
        return new Dictionary<string, long>(DeadLetters);
    }

    public async Task<IReadOnlyList<SiloSummary>> GetSilosAsync()
    {
        await ReadAsync();
        return [.. Silos];
    }

    private async Task ReadAsync()
    {
        if (Hang is { } hang)
        {
            await hang.Task;
        }

        if (Failure?.Invoke() is { } failure)
        {
            throw failure;
        }
    }
}
