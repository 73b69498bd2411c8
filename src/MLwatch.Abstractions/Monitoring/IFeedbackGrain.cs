namespace MLwatch.Abstractions.Monitoring;

/// <summary>
/// Reads the feedback stream of one Kafka partition (key = partition). Stateless: created by the stream's implicit
/// subscription, never called directly.
/// </summary>
public interface IFeedbackGrain : IGrainWithStringKey;
