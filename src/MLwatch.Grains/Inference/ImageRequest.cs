using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>A record that passed the ingest checks: which model to run on which image bytes.</summary>
public readonly record struct ImageRequest(KafkaRecord Record, ModelDescriptor Model, ReadOnlyMemory<byte> Image);
