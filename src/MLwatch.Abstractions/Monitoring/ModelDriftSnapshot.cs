namespace MLwatch.Abstractions.Monitoring;

/// <summary>A model monitor's current view: recent windows, the open window and the alerts now raised.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Reference">Where the reference profile came from, or why there is none (then nothing is compared).</param>
/// <param name="HasReference">Whether windows are compared with a reference profile.</param>
/// <param name="WindowSize">Predictions per window.</param>
/// <param name="WindowDuration">Longest time a window stays open (when it holds at least the minimum count).</param>
/// <param name="OpenWindowCount">Predictions in the window still open.</param>
/// <param name="OpenWindowStartedAt">First prediction of the open window, if any.</param>
/// <param name="Predictions">All predictions seen.</param>
/// <param name="LabeledCount">Predictions whose true label is known.</param>
/// <param name="CorrectCount">Of those, the correct ones.</param>
/// <param name="FeedbackJoined">Feedback records joined to a prediction.</param>
/// <param name="FeedbackWaiting">Feedback records waiting for their prediction.</param>
/// <param name="FeedbackIgnored">Feedback records for predictions already labeled or no longer remembered.</param>
/// <param name="Windows">The most recent closed windows, oldest first.</param>
/// <param name="ActiveAlerts">Alerts raised and not cleared.</param>
/// <param name="Thresholds">The alert thresholds in force.</param>
/// <param name="LabeledByLabel">Labeled and correct predictions by predicted label, in the model's label order.</param>
/// <param name="ThresholdsSource"><c>configured</c> (Monitoring:Thresholds) or <c>admin</c> (set through PUT /api/models/{model}/thresholds).</param>
[GenerateSerializer, Immutable, Alias("mlwatch.model-drift-snapshot")]
public sealed record ModelDriftSnapshot(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] string Reference,
    [property: Id(3)] bool HasReference,
    [property: Id(4)] int WindowSize,
    [property: Id(5)] TimeSpan WindowDuration,
    [property: Id(6)] int OpenWindowCount,
    [property: Id(7)] DateTimeOffset? OpenWindowStartedAt,
    [property: Id(8)] long Predictions,
    [property: Id(9)] long LabeledCount,
    [property: Id(10)] long CorrectCount,
    [property: Id(11)] long FeedbackJoined,
    [property: Id(12)] long FeedbackWaiting,
    [property: Id(13)] long FeedbackIgnored,
    [property: Id(14)] DriftWindowReport[] Windows,
    [property: Id(15)] AlertEvent[] ActiveAlerts,
    [property: Id(16)] DriftThresholdSettings? Thresholds = null,
    [property: Id(17)] string? ThresholdsSource = null,
    [property: Id(18)] LabeledCounts[]? LabeledByLabel = null)
{
    /// <summary>Accuracy on all predictions whose true label is known; null when none is.</summary>
    public double? RealizedAccuracy => LabeledCount == 0 ? null : (double)CorrectCount / LabeledCount;
}
