using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Sessions;

namespace MLwatch.Inference;

/// <summary>Classifies batches of encoded images with a model: preprocess, run ONNX in chunks of maxBatchSize, top-1 per image.</summary>
/// <remarks>Thread-safe; concurrent callers share the cached session.</remarks>
public sealed class ImageClassifier
{
    private readonly OnnxSessionCache _sessions;
    private readonly ImagePreprocessor _preprocessor;

    /// <summary>Creates a classifier over a session cache and an image preprocessor.</summary>
    public ImageClassifier(OnnxSessionCache sessions, ImagePreprocessor preprocessor)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(preprocessor);
        _sessions = sessions;
        _preprocessor = preprocessor;
    }

    /// <summary>Classifies one encoded image.</summary>
    public ClassificationOutcome Classify(ModelDescriptor model, ReadOnlyMemory<byte> image) => Classify(model, [image])[0];

    /// <summary>
    /// Classifies <paramref name="images"/> and returns one outcome per image, in input order. Unusable images become
    /// rejected outcomes and never abort the batch; model problems throw <see cref="ModelConfigurationException"/>.
    /// </summary>
    public IReadOnlyList<ClassificationOutcome> Classify(ModelDescriptor model, IReadOnlyList<ReadOnlyMemory<byte>> images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var outcomes = new ClassificationOutcome[images.Count];
        if (images.Count == 0)
        {
            return outcomes;
        }

        var session = _sessions.GetSession(model);
        var config = model.Config;
        var imageLength = config.ImageTensorLength;
        var classes = session.ClassCount;
        var capacity = Math.Min(config.MaxBatchSize, images.Count);

        var inputBuffer = ArrayPool<float>.Shared.Rent(capacity * imageLength);
        var outputBuffer = ArrayPool<float>.Shared.Rent(capacity * classes);
        var slotToImage = ArrayPool<int>.Shared.Rent(capacity);
        try
        {
            var filled = 0;
            for (var i = 0; i < images.Count; i++)
            {
                var slot = inputBuffer.AsSpan(filled * imageLength, imageLength);
                if (!_preprocessor.TryPreprocess(images[i].Span, model, slot, out var rejection))
                {
                    outcomes[i] = ClassificationOutcome.Rejected(rejection);
                    continue;
                }

                slotToImage[filled++] = i;
                if (filled == capacity)
                {
                    RunChunk(model, session, inputBuffer, outputBuffer, slotToImage, filled, outcomes);
                    filled = 0;
                }
            }

            if (filled > 0)
            {
                RunChunk(model, session, inputBuffer, outputBuffer, slotToImage, filled, outcomes);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slotToImage);
            ArrayPool<float>.Shared.Return(outputBuffer);
            ArrayPool<float>.Shared.Return(inputBuffer);
        }

        return outcomes;
    }

    private static void RunChunk(
        ModelDescriptor model,
        ModelSession session,
        float[] inputBuffer,
        float[] outputBuffer,
        int[] slotToImage,
        int count,
        ClassificationOutcome[] outcomes)
    {
        var config = model.Config;
        var classes = session.ClassCount;
        long[] inputShape = config.IsChannelsLast
            ? [count, config.Height, config.Width, config.Channels]
            : [count, config.Channels, config.Height, config.Width];

        using (var input = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, inputBuffer.AsMemory(0, count * config.ImageTensorLength), inputShape))
        using (var output = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, outputBuffer.AsMemory(0, count * classes), [count, (long)classes]))
        {
            session.Session.Run(session.RunOptions, session.InputNames, [input], session.OutputNames, [output]);
        }

        var logits = config.OutputIsLogits;
        for (var slot = 0; slot < count; slot++)
        {
            var row = outputBuffer.AsSpan(slot * classes, classes);
            var best = Softmax.Top1(row, logits, out var confidence, config.Temperature);
            outcomes[slotToImage[slot]] = ClassificationOutcome.Classified(best, model.Labels[best], confidence);
        }
    }
}
