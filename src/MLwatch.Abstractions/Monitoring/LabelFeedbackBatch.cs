namespace MLwatch.Abstractions.Monitoring;

/// <summary>Feedback for one model version from one delivery of the feedback topic, in offset order per partition.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.label-feedback-batch")]
public sealed record LabelFeedbackBatch(
    [property: Id(0)] string Topic,
    [property: Id(1)] LabelFeedback[] Items);
