using MLwatch.Abstractions.Monitoring;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Monitoring;

/// <summary>Persisted state of one model version's monitor (one jsonb row with the PostgreSQL provider).</summary>
[GenerateSerializer, Alias("mlwatch.model-monitor-state")]
public sealed class ModelMonitorState : WriteBehindState
{
    // Id 0 held the per-partition high-water marks, now WriteBehindState.Applied (requests and feedback alike; old rows are migrated on load).

    /// <summary>The window being filled.</summary>
    [Id(1)] public OpenWindow Window { get; set; } = new();

    /// <summary>Windows closed so far; the open window's index is this plus one.</summary>
    [Id(2)] public long ClosedWindows { get; set; }

    /// <summary>The most recent closed windows, oldest first.</summary>
    [Id(3)] public List<DriftWindowReport> Windows { get; set; } = [];

    /// <summary>Hysteresis per alert kind.</summary>
    [Id(4)] public Dictionary<string, AlertTrack> AlertTracks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Alert events, oldest first.</summary>
    [Id(5)] public List<AlertEvent> Alerts { get; set; } = [];

    /// <summary>Recent predictions by request id, for late feedback.</summary>
    [Id(6)] public Dictionary<string, RememberedPrediction> Recent { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Request ids of <see cref="Recent"/>, oldest first (evicted in this order).</summary>
    [Id(7)] public Queue<string> RecentOrder { get; set; } = new();

    /// <summary>Feedback that arrived before its prediction: true label index by request id.</summary>
    [Id(8)] public Dictionary<string, int> WaitingFeedback { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Request ids of <see cref="WaitingFeedback"/>, oldest first.</summary>
    [Id(9)] public Queue<string> WaitingOrder { get; set; } = new();

    [Id(10)] public long Predictions { get; set; }
    [Id(11)] public long LabeledCount { get; set; }
    [Id(12)] public long CorrectCount { get; set; }
    [Id(13)] public long FeedbackJoined { get; set; }
    [Id(14)] public long FeedbackIgnored { get; set; }

    /// <summary>Thresholds set by an administrator, used instead of Monitoring:Thresholds; null: the configured ones.</summary>
    [Id(15)] public DriftThresholdSettings? Thresholds { get; set; }

    /// <summary>Labeled and correct predictions by predicted label index (the per-label side of LabeledCount/CorrectCount).</summary>
    [Id(16)] public Dictionary<int, LabeledCounts> LabeledByPrediction { get; set; } = [];

    /// <summary>The last closed window that passed a supervision bound and was not acted on yet; null when none waits.</summary>
    [Id(17)] public SupervisionBreach? PendingRollback { get; set; }
}
