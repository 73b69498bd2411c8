namespace MLwatch.Grains.Stats;

/// <summary>Predictions of a label within one minute (Unix minutes), kept for the last 24 hours.</summary>
[GenerateSerializer, Alias("mlwatch.minute-counter")]
public sealed class MinuteCounter
{
    [Id(0)] public long Minute { get; set; }
    [Id(1)] public long Count { get; set; }
    [Id(2)] public double ConfidenceSum { get; set; }
}
