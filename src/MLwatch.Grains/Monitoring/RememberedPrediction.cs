namespace MLwatch.Grains.Monitoring;

/// <summary>What late feedback needs to know about a prediction.</summary>
/// <param name="LabelIndex">The predicted label.</param>
/// <param name="Window">The window it was counted in.</param>
/// <param name="Labeled">Whether its true label is known already (then later feedback is ignored).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.remembered-prediction")]
public readonly record struct RememberedPrediction(
    [property: Id(0)] int LabelIndex,
    [property: Id(1)] long Window,
    [property: Id(2)] bool Labeled);
