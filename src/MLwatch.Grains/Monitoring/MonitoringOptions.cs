using MLwatch.Abstractions.Wire;
using MLwatch.Monitoring.Drift;

namespace MLwatch.Grains.Monitoring;

/// <summary>How model monitors cut windows, raise alerts and join feedback (config section "Monitoring").</summary>
public sealed class MonitoringOptions
{
    /// <summary>Predictions per window. Defaults to 1000.</summary>
    public int WindowSize { get; set; } = 1000;

    /// <summary>A window holding at least <see cref="MinWindowCount"/> predictions closes after this long even if not full. Defaults to 5 minutes.</summary>
    public TimeSpan WindowDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Fewest predictions a window closed by time may hold; a quieter window stays open. Defaults to 100.</summary>
    public int MinWindowCount { get; set; } = 100;

    /// <summary>Consecutive windows breaching a threshold before its alert is raised. Defaults to 2.</summary>
    public int RaiseAfterWindows { get; set; } = 2;

    /// <summary>Consecutive windows within all thresholds before a raised alert clears. Defaults to 2.</summary>
    public int ClearAfterWindows { get; set; } = 2;

    /// <summary>Closed windows kept for the API and the dashboard. Defaults to 288.</summary>
    public int WindowsKept { get; set; } = 288;

    /// <summary>Alert events kept as history. Defaults to 500.</summary>
    public int AlertsKept { get; set; } = 500;

    /// <summary>Recent predictions remembered for joining late feedback, and feedback records kept waiting for their prediction. Defaults to 20,000 each.</summary>
    public int FeedbackJoinCapacity { get; set; } = 20_000;

    /// <summary>Whether silos consume <see cref="FeedbackTopic"/>. Defaults to true.</summary>
    public bool FeedbackEnabled { get; set; } = true;

    /// <summary>Topic of delayed ground-truth labels. Defaults to "mlwatch.feedback".</summary>
    public string FeedbackTopic { get; set; } = TopicNames.Feedback;

    /// <summary>Topic alerts are published to as JSON. Defaults to "mlwatch.alerts".</summary>
    public string AlertsTopic { get; set; } = TopicNames.Alerts;

    /// <summary>Alert thresholds.</summary>
    public DriftThresholds Thresholds { get; set; } = new();

    /// <summary>Bounds per model name that roll its active version back automatically (see <see cref="SupervisionPolicy"/>). Defaults to none: no model is supervised.</summary>
    public Dictionary<string, SupervisionPolicy> Supervision { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(WindowSize >= 50, $"Monitoring:WindowSize must be at least 50 (was {WindowSize}); statistics over fewer predictions are noise.");
        Require(WindowDuration > TimeSpan.Zero, $"Monitoring:WindowDuration must be positive (was {WindowDuration}).");
        Require(MinWindowCount >= 1 && MinWindowCount <= WindowSize, $"Monitoring:MinWindowCount must be between 1 and WindowSize ({WindowSize}) (was {MinWindowCount}).");
        Require(RaiseAfterWindows >= 1, $"Monitoring:RaiseAfterWindows must be at least 1 (was {RaiseAfterWindows}).");
        Require(ClearAfterWindows >= 1, $"Monitoring:ClearAfterWindows must be at least 1 (was {ClearAfterWindows}).");
        Require(WindowsKept >= 1, $"Monitoring:WindowsKept must be at least 1 (was {WindowsKept}).");
        Require(AlertsKept >= 1, $"Monitoring:AlertsKept must be at least 1 (was {AlertsKept}).");
        Require(FeedbackJoinCapacity >= 1, $"Monitoring:FeedbackJoinCapacity must be at least 1 (was {FeedbackJoinCapacity}).");
        Require(!string.IsNullOrWhiteSpace(FeedbackTopic), "Monitoring:FeedbackTopic must name a topic.");
        Require(!string.IsNullOrWhiteSpace(AlertsTopic), "Monitoring:AlertsTopic must name a topic.");
        Thresholds.Validate();
        foreach (var (model, policy) in Supervision)
        {
            policy.Validate(model);
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
