using MLwatch.Abstractions.Monitoring;
using MLwatch.Query;

namespace MLwatch.Dashboard.Tests.Support;

/// <summary>A test double of the drift queries: snapshots and alert histories the test sets.</summary>
internal sealed class FakeDrift : IModelDriftSource
{
    public Dictionary<string, ModelDriftSnapshot> Snapshots { get; } = new(StringComparer.Ordinal);

    public List<AlertEvent> Alerts { get; } = [];

    public static ModelDriftSnapshot Snapshot(string model, DriftWindowReport[] windows, AlertEvent[]? active = null, int openWindowCount = 0, bool hasReference = true) =>
        new(model, "1", hasReference ? "reference.json" : "no reference profile: reference.json does not exist", hasReference, 1000, TimeSpan.FromMinutes(5),
            openWindowCount, null, windows.Sum(w => w.Count) + openWindowCount, windows.Sum(w => w.LabeledCount), windows.Sum(w => w.CorrectCount), 0, 0, 0, windows, active ?? []);

    public static DriftWindowReport Window(long index, double js, double ks, double estimated, long labeled = 0, long correct = 0, params string[] breaches) =>
        new(index, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(index), "count", 1000, js, js * 2, 10, 0.5, ks, 0.5, ks / 4, estimated, labeled, correct,
            [new LabelDriftReport("Bag", 0.6, 0.1, 0.9, 0.99), new LabelDriftReport("Coat", 0.4, 0.9, 0.8, 0.9)], breaches);

    public static AlertEvent Alert(string kind, AlertState state, long window) =>
        new($"fashion-mnist@1/{kind}/{window}/{state}", "fashion-mnist", "1", kind, state, "jensenShannon", 0.6, 0.1, window, DateTimeOffset.UnixEpoch.AddMinutes(window), $"{kind} {state} at window {window}");

    public Task<ModelDriftSnapshot?> GetDriftAsync(string model) => Task.FromResult(Snapshots.GetValueOrDefault(model));

    public Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(string? model = null) =>
        Task.FromResult<IReadOnlyList<AlertEvent>>([.. Alerts.Where(a => model is null || a.Model == model)]);
}
