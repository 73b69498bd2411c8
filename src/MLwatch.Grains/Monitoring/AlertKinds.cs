using MLwatch.Monitoring.Drift;

namespace MLwatch.Grains.Monitoring;

/// <summary>The names alert kinds carry on the wire, in the API and in config.</summary>
public static class AlertKinds
{
    /// <summary>Every kind, in a stable order.</summary>
    public static readonly AlertKind[] All = Enum.GetValues<AlertKind>();

    /// <summary>"label-drift", "confidence-drift", "estimated-accuracy-drop" or "realized-accuracy-drop".</summary>
    public static string Name(AlertKind kind) => kind switch
    {
        AlertKind.LabelDrift => "label-drift",
        AlertKind.ConfidenceDrift => "confidence-drift",
        AlertKind.EstimatedAccuracyDrop => "estimated-accuracy-drop",
        AlertKind.RealizedAccuracyDrop => "realized-accuracy-drop",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown alert kind."),
    };
}
