namespace MLwatch.Abstractions.Inference;

/// <summary>
/// Classifies the records of one Kafka partition's stream (key = partition). Stateless: activations are local to the
/// silo that owns the partition and are created by the stream's implicit subscription, never called directly.
/// </summary>
public interface IInferenceGrain : IGrainWithStringKey;
