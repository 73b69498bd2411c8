using MLwatch.Inference.Execution;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// A record that passed the ingest checks: which model to run on which image bytes (or preprocessed tensor), and, when
/// a caller awaits its prediction, how many of the best classes to answer with.
/// </summary>
public readonly record struct ImageRequest(KafkaRecord Record, ModelDescriptor Model, ReadOnlyMemory<byte> Image, bool IsTensor = false, int? ReplyTopK = null)
{
    /// <summary>What the executor classifies.</summary>
    public ClassificationInput Input => new(Image, ReplyTopK ?? 0, IsTensor);
}
