namespace MLwatch.Monitoring.Drift;

/// <summary>What an <see cref="AlertSignal"/> is about.</summary>
public enum AlertKind
{
    /// <summary>The distribution of predicted labels moved away from the reference (Jensen–Shannon, PSI or χ²).</summary>
    LabelDrift,

    /// <summary>The distribution of calibrated confidence moved away from the reference (Kolmogorov–Smirnov).</summary>
    ConfidenceDrift,

    /// <summary>Accuracy estimated from confidences (CBPE) fell below the reference accuracy by the allowed drop or more.</summary>
    EstimatedAccuracyDrop,

    /// <summary>Accuracy on predictions whose true labels arrived fell below the reference accuracy by the allowed drop or more.</summary>
    RealizedAccuracyDrop,
}
