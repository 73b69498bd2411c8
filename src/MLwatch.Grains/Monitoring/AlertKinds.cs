using MLwatch.Monitoring.Drift;

namespace MLwatch.Grains.Monitoring;

/// <summary>The names alert kinds carry on the wire, in the API and in config.</summary>
public static class AlertKinds
{
    /// <summary>
    /// Supervision rolled a version back (a window passed a bound of Monitoring:Supervision); raised once per activation
    /// of the version, never cleared. Not one of <see cref="All"/>: no drift rule raises it.
    /// </summary>
    public const string ModelRolledBack = "model-rolled-back";

    /// <summary>Every drift kind, in a stable order.</summary>
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
