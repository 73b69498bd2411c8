using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using MLwatch.Inference.Imaging;

namespace MLwatch.Inference.Execution;

/// <summary>
/// A preprocessed input tensor sent instead of an image: one image's float32 elements in the model's layout,
/// little-endian (whatever the silo's byte order), checked for size and finite values before it joins a batch.
/// </summary>
public static class TensorInput
{
    /// <summary>The refusal of <paramref name="bytes"/> as a tensor of <paramref name="elements"/> elements; null when it is one.</summary>
    public static ImageRejection? Check(ReadOnlySpan<byte> bytes, int elements)
    {
        if (bytes.Length != elements * sizeof(float))
        {
            return new ImageRejection(
                ImageRejectionReasons.TensorShapeMismatch,
                $"The tensor has {bytes.Length} bytes ({bytes.Length / (double)sizeof(float)} float32 elements); the model takes {elements} elements per image ({elements * sizeof(float)} bytes).");
        }

        for (var i = 0; i < elements; i++)
        {
            if (!float.IsFinite(BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..])))
            {
                return new ImageRejection(ImageRejectionReasons.TensorNotFinite, $"Element {i} of the tensor is NaN or infinite; send finite values.");
            }
        }

        return null;
    }

    /// <summary>Copies the checked tensor <paramref name="bytes"/> into <paramref name="destination"/>.</summary>
    public static bool TryCopy(ReadOnlySpan<byte> bytes, int elements, Span<float> destination, [NotNullWhen(false)] out ImageRejection? rejection)
    {
        rejection = Check(bytes, elements);
        if (rejection is not null)
        {
            return false;
        }

        for (var i = 0; i < elements; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return true;
    }
}
