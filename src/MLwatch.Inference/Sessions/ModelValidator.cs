using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLwatch.Inference.Models;

namespace MLwatch.Inference.Sessions;

/// <summary>
/// Decides whether a model version may be served on this process, before any record reaches it: its session loads into
/// the <see cref="OnnxSessionCache"/> (so the validated session is the one that serves), the graph's input and output
/// match config.json and labels.txt (<see cref="ModelSession"/>'s checks), and a smoke batch — a black and a white image
/// — runs and gives finite outputs as wide as the labels. A version that fails is evicted from the cache and rejected
/// with a reason code and a message saying what to fix; nothing it did reaches the versions being served.
/// </summary>
public sealed class ModelValidator(OnnxSessionCache sessions)
{
    /// <summary>Validates <paramref name="model"/>; never throws for a problem of the model (it becomes the rejection).</summary>
    public ModelValidation Validate(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string? sha256 = null;
        try
        {
            sha256 = Sha256Of(model.OnnxPath);
            var session = sessions.GetSession(model);
            var signature = SignatureOf(session);
            RunSmokeBatch(session);
            return new ModelValidation(model, sha256, signature, null, null);
        }
        catch (ModelConfigurationException exception)
        {
            sessions.Evict(model);
            return new ModelValidation(model, sha256, null, exception.Reason, exception.Message);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new ModelValidation(model, sha256, null, ModelRejectionReasons.InvalidFiles, $"{model.OnnxPath}: cannot be read ({exception.Message}).");
        }
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static ModelSignature SignatureOf(ModelSession session)
    {
        var config = session.Model.Config;
        var input = session.Session.InputMetadata[config.InputName];
        var output = session.Session.OutputMetadata[config.OutputName];
        return new ModelSignature(config.InputName, Shape(input.Dimensions), config.OutputName, Shape(output.Dimensions), session.Model.Labels.Count);
    }

    private static void RunSmokeBatch(ModelSession session)
    {
        var model = session.Model;
        var config = model.Config;
        var count = Math.Min(2, config.MaxBatchSize);
        var length = config.ImageTensorLength;
        var input = new float[count * length];
        var pixels = new byte[config.Width * config.Height * 4];
        for (var image = 0; image < count; image++)
        {
            Array.Fill(pixels, image == 0 ? (byte)0 : (byte)255);
            model.Normalizer.Normalize(pixels, 4, input.AsSpan(image * length, length));
        }

        long[] shape = config.IsChannelsLast ? [count, config.Height, config.Width, config.Channels] : [count, config.Channels, config.Height, config.Width];
        float[] scores;
        long[] outputShape;
        try
        {
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var outputs = session.Session.Run(session.RunOptions, session.InputNames, [inputValue], session.OutputNames);
            var output = outputs[0];
            outputShape = output.GetTensorTypeAndShape().Shape;
            scores = output.GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException exception)
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.SmokeBatchFailed,
                $"{model.OnnxPath}: a smoke batch of {count} image(s) shaped {Shape(shape)} failed in ONNX Runtime: {exception.Message}", exception);
        }

        if (outputShape.Length != 2 || outputShape[0] != count || outputShape[1] != model.Labels.Count)
        {
            throw new ModelConfigurationException(
                ModelRejectionReasons.LabelCountMismatch,
                $"{model.OnnxPath}: output '{config.OutputName}' of a batch of {count} is shaped {Shape(outputShape)}, but labels.txt has {model.Labels.Count} labels; the output must be [N, {model.Labels.Count}].");
        }

        var bad = Array.FindIndex(scores, s => !float.IsFinite(s));
        if (bad >= 0)
        {
            var what = float.IsNaN(scores[bad]) ? "NaN" : "an infinite value";
            var image = bad / model.Labels.Count == 0 ? "a black image" : "a white image";
            throw new ModelConfigurationException(
                ModelRejectionReasons.NonFiniteOutput,
                $"{model.OnnxPath}: output '{config.OutputName}' holds {what} for {image} (score {bad % model.Labels.Count}); " +
                $"{scores.Count(s => !float.IsFinite(s))} of {scores.Length} outputs of the smoke batch are not finite. Check the exported weights (a diverged training, a bad conversion).");
        }
    }

    private static string Shape(IEnumerable<long> dimensions) =>
        "[" + string.Join(", ", dimensions.Select(d => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : "N")) + "]";

    private static string Shape(int[] dimensions) => Shape(dimensions.Select(d => (long)d));
}

/// <summary>The outcome of <see cref="ModelValidator.Validate"/>: passed (with the graph's signature) or rejected with a reason.</summary>
/// <param name="Model">The version validated.</param>
/// <param name="Sha256">SHA-256 of its ONNX bytes (lower-case hex); null when they could not be read.</param>
/// <param name="Signature">Input and output names and shapes; null when rejected.</param>
/// <param name="Reason">A code from <see cref="ModelRejectionReasons"/>; null when it passed.</param>
/// <param name="Message">What is wrong and what to fix; null when it passed.</param>
public sealed record ModelValidation(ModelDescriptor Model, string? Sha256, ModelSignature? Signature, string? Reason, string? Message)
{
    /// <summary>True when the version may be served.</summary>
    public bool Passed => Reason is null;
}

/// <summary>What a model's graph takes and gives, as ONNX Runtime reads it ("N" for a dynamic axis).</summary>
public sealed record ModelSignature(string InputName, string InputShape, string OutputName, string OutputShape, int LabelCount);
