namespace MLwatch.Inference.Execution;

/// <summary>One input for <see cref="InferenceExecutor.ClassifyAsync(Models.ModelDescriptor, IReadOnlyList{ClassificationInput}, CancellationToken)"/>.</summary>
/// <param name="Bytes">The encoded image, or (when <paramref name="IsTensor"/>) the preprocessed tensor's float32 elements, little-endian.</param>
/// <param name="TopK">How many of the best classes to return besides the top-1 (0: none, and nothing is allocated for them).</param>
/// <param name="IsTensor">The bytes are a tensor of the model's input shape, used as they are instead of decoded.</param>
public readonly record struct ClassificationInput(ReadOnlyMemory<byte> Bytes, int TopK = 0, bool IsTensor = false);
