namespace MLwatch.Abstractions.Inference;

/// <summary>
/// What came of one request a caller awaits (see <see cref="IInferenceReplyGrain"/>): its prediction, or the reason
/// code and message it was dead-lettered with.
/// </summary>
/// <param name="Model">The model that served it (or was asked for, when refused before it was resolved).</param>
/// <param name="Version">The version that served it; empty when refused before a version was chosen.</param>
/// <param name="Label">Top-1 label; null when refused.</param>
/// <param name="Confidence">Calibrated top-1 probability; 0 when refused.</param>
/// <param name="TopLabels">The requested top-k labels, best first (empty when none were asked for).</param>
/// <param name="TopScores">Their probabilities, in the same order.</param>
/// <param name="RejectionReason">The dead letter's reason code (mlwatch-error-code); null on success.</param>
/// <param name="RejectionMessage">The dead letter's message; null on success.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.inference-reply")]
public sealed record InferenceReply(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] string? Label,
    [property: Id(3)] float Confidence,
    [property: Id(4)] string[] TopLabels,
    [property: Id(5)] float[] TopScores,
    [property: Id(6)] string? RejectionReason,
    [property: Id(7)] string? RejectionMessage)
{
    /// <summary>True when the request was classified.</summary>
    public bool IsSuccess => RejectionReason is null;
}
