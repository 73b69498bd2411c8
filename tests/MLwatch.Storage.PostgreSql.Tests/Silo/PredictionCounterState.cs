namespace MLwatch.Storage.PostgreSql.Tests.Silo;

[GenerateSerializer, Alias("mlwatch.tests.prediction-counter-state")]
public sealed class PredictionCounterState
{
    [Id(0)] public long Count { get; set; }
    [Id(1)] public double ConfidenceSum { get; set; }
    [Id(2)] public Dictionary<string, long> ByLabel { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public List<double> Confidences { get; set; } = [];
}
