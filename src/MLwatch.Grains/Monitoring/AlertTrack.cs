using MLwatch.Abstractions.Monitoring;

namespace MLwatch.Grains.Monitoring;

/// <summary>Hysteresis of one alert kind: how many windows in a row breached or stayed within its thresholds.</summary>
[GenerateSerializer, Alias("mlwatch.alert-track")]
public sealed class AlertTrack
{
    /// <summary>The raise event of the alert now active; null while it is not raised.</summary>
    [Id(0)] public AlertEvent? Raised { get; set; }

    /// <summary>Consecutive breaching windows.</summary>
    [Id(1)] public int Breaches { get; set; }

    /// <summary>Consecutive windows within thresholds.</summary>
    [Id(2)] public int Clears { get; set; }
}
