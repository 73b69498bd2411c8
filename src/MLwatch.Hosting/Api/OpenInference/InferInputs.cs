using System.Buffers.Binary;
using System.Text.Json;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;

namespace MLwatch.Hosting.Api.OpenInference;

/// <summary>
/// The images of one infer request, read from its single input: a BYTES input of shape [n] whose elements are
/// base64-encoded image files, or an FP32 input of shape [n, ...the model's input dims] (or the dims alone for one
/// image) whose data are the preprocessed tensors. Each image becomes one record; <see cref="IsTensor"/> says which kind.
/// </summary>
internal sealed record InferInputs(IReadOnlyList<byte[]> Values, bool IsTensor, int TopK)
{
    /// <summary>The OIP name of the BYTES input.</summary>
    public const string ImageInput = "image";

    public static bool TryRead(InferRequestJson request, ModelDescriptor model, OpenInferenceOptions options, int maxImageBytes, out InferInputs inputs, out InferErrorJson? error)
    {
        inputs = new InferInputs([], false, 0);
        if (request.Inputs is not [var input])
        {
            error = Invalid($"An infer request has exactly one input: \"{ImageInput}\" (BYTES, base64 image files) or \"{model.Config.InputName}\" (FP32, preprocessed); it had {request.Inputs?.Count ?? 0}.");
            return false;
        }

        if (!TryReadTopK(request, model, out var topK, out error))
        {
            return false;
        }

        if (input.Shape is not { Count: > 0 } shape || shape.Any(d => d < 0))
        {
            error = Invalid("The input needs a shape of non-negative dimensions, e.g. [1] for one BYTES image.");
            return false;
        }

        var count = shape[0];
        if (count < 1 || count > options.MaxImagesPerRequest)
        {
            error = Invalid($"The input's first dimension is {count} images; send 1 to {options.MaxImagesPerRequest} (OpenInference.MaxImagesPerRequest).");
            return false;
        }

        var values = new List<byte[]>((int)count);
        switch (input.Datatype)
        {
            case "BYTES":
                if (shape.Count != 1 || input.Data.ValueKind != JsonValueKind.Array || input.Data.GetArrayLength() != count)
                {
                    error = Invalid($"A BYTES input has shape [n] and n base64 strings as data; its shape was [{string.Join(", ", shape)}] with {DataLength(input.Data)} element(s).");
                    return false;
                }

                var index = 0;
                foreach (var element in input.Data.EnumerateArray())
                {
                    var bytes = element.ValueKind == JsonValueKind.String && element.TryGetBytesFromBase64(out var decoded) ? decoded : null;
                    if (bytes is null)
                    {
                        error = new InferErrorJson($"Element {index} of the BYTES input is not a base64 string; send each encoded image file (PNG, JPEG, ...) base64-encoded.", OpenInferenceReasons.InvalidBase64);
                        return false;
                    }

                    if (bytes.Length > maxImageBytes)
                    {
                        error = new InferErrorJson($"Image {index} has {bytes.Length} bytes, over the limit of {maxImageBytes} (Inference.MaxImageBytes); downscale or recompress it.", ImageRejectionReasons.TooLarge);
                        return false;
                    }

                    values.Add(bytes);
                    index++;
                }

                break;

            case "FP32":
                if (!TryReadTensors(input, shape, model.Config, values, out error))
                {
                    return false;
                }

                break;

            default:
                error = Invalid($"Datatype '{input.Datatype}' is not accepted: send BYTES (base64 image files) or FP32 (preprocessed tensors).");
                return false;
        }

        inputs = new InferInputs(values, input.Datatype == "FP32", topK);
        error = null;
        return true;
    }

    /// <summary>The model's input dims of one image, in its layout (what an FP32 input's shape ends with).</summary>
    public static long[] ImageDims(ModelConfig config) =>
        config.IsChannelsLast ? [config.Height, config.Width, config.Channels] : [config.Channels, config.Height, config.Width];

    private static bool TryReadTensors(InferInputJson input, IReadOnlyList<long> shape, ModelConfig config, List<byte[]> values, out InferErrorJson? error)
    {
        var dims = ImageDims(config);
        var batched = shape.Count == dims.Length + 1 && shape.Skip(1).SequenceEqual(dims);
        if (!batched && !shape.SequenceEqual(dims))
        {
            error = new InferErrorJson(
                $"An FP32 input of {config.Name} has shape [n, {string.Join(", ", dims)}] ({config.Layout}); it was [{string.Join(", ", shape)}].",
                ImageRejectionReasons.TensorShapeMismatch);
            return false;
        }

        var images = batched ? (int)shape[0] : 1;
        var elements = new List<float>(images * config.ImageTensorLength);
        if (!TryFlatten(input.Data, elements))
        {
            error = Invalid("The FP32 input's data must be an array of numbers (flat or nested, row-major).");
            return false;
        }

        if (elements.Count != images * config.ImageTensorLength)
        {
            error = new InferErrorJson(
                $"The FP32 input has {elements.Count} elements; its shape [{string.Join(", ", shape)}] needs {images * config.ImageTensorLength}.",
                ImageRejectionReasons.TensorShapeMismatch);
            return false;
        }

        for (var i = 0; i < images; i++)
        {
            var bytes = new byte[config.ImageTensorLength * sizeof(float)];
            for (var e = 0; e < config.ImageTensorLength; e++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(e * sizeof(float)), elements[(i * config.ImageTensorLength) + e]);
            }

            // The same check the pipeline makes, answered here without a round trip through the topic.
            if (TensorInput.Check(bytes, config.ImageTensorLength) is { } rejection)
            {
                error = new InferErrorJson($"Tensor {i}: {rejection.Message}", rejection.Reason);
                return false;
            }

            values.Add(bytes);
        }

        error = null;
        return true;
    }

    private static bool TryFlatten(JsonElement data, List<float> into)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var element in data.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out var value))
            {
                into.Add(value);
            }
            else if (!TryFlatten(element, into))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadTopK(InferRequestJson request, ModelDescriptor model, out int topK, out InferErrorJson? error)
    {
        topK = 0;
        error = null;
        if (request.Parameters is null || !request.Parameters.TryGetValue("top_k", out var value))
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out topK) || topK < 0)
        {
            error = Invalid($"Parameter top_k must be a non-negative integer (at most the model's {model.Labels.Count} classes are returned).");
            return false;
        }

        topK = Math.Min(topK, model.Labels.Count);
        return true;
    }

    private static int DataLength(JsonElement data) => data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 0;

    private static InferErrorJson Invalid(string message) => new(message, OpenInferenceReasons.InvalidRequest);
}
