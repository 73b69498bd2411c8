using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MLwatch.Inference.Models;
using SkiaSharp;

namespace MLwatch.Inference.Imaging;

/// <summary>Decodes PNG, JPEG, BMP, WebP or GIF bytes, enforces size limits, converts, resizes and normalizes into a model tensor.</summary>
/// <remarks>Thread-safe and allocation-light: pixel buffers come from <see cref="ArrayPool{T}"/>.</remarks>
public sealed class ImagePreprocessor
{
    private const string Formats = "PNG, JPEG, BMP, WebP or GIF";

    // Shrinking by more than half needs mipmaps to average every source pixel; up to that, bilinear sampling does, and
    // building the mipmap chain would cost more than the rest of the resize.
    private static readonly SKSamplingOptions Mipmapped = new(SKFilterMode.Linear, SKMipmapMode.Linear);
    private static readonly SKSamplingOptions Bilinear = new(SKFilterMode.Linear, SKMipmapMode.None);

    private readonly int _maxImageBytes;
    private readonly long _maxPixels;

    /// <summary>Creates a preprocessor enforcing <see cref="InferenceOptions.MaxImageBytes"/> and <see cref="InferenceOptions.MaxPixels"/>.</summary>
    public ImagePreprocessor(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _maxImageBytes = options.MaxImageBytes;
        _maxPixels = options.MaxPixels;
    }

    /// <summary>Preprocesses one encoded image into <paramref name="destination"/>; throws <see cref="ImageRejectedException"/> for unusable bytes.</summary>
    public void Preprocess(ReadOnlySpan<byte> encoded, ModelDescriptor model, Span<float> destination)
    {
        if (!TryPreprocess(encoded, model, destination, out var rejection))
        {
            throw new ImageRejectedException(rejection);
        }
    }

    /// <summary>
    /// Preprocesses one encoded image into the first <see cref="ModelConfig.ImageTensorLength"/> floats of
    /// <paramref name="destination"/>, in the model's layout. Returns false with a rejection for unusable bytes; never throws for them.
    /// </summary>
    public bool TryPreprocess(
        ReadOnlySpan<byte> encoded,
        ModelDescriptor model,
        Span<float> destination,
        [NotNullWhen(false)] out ImageRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Config;
        if (destination.Length < config.ImageTensorLength)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} floats; model '{model.Name}' needs {config.ImageTensorLength}.",
                nameof(destination));
        }

        if (encoded.IsEmpty)
        {
            rejection = new ImageRejection(
                ImageRejectionReasons.Empty,
                $"The image is empty (0 bytes). Send the complete {Formats} file contents.");
            return false;
        }

        if (encoded.Length > _maxImageBytes)
        {
            rejection = new ImageRejection(
                ImageRejectionReasons.TooLarge,
                Invariant($"The image is {encoded.Length} bytes, above the {_maxImageBytes}-byte limit. Downscale or recompress it before sending, or raise InferenceOptions.MaxImageBytes."));
            return false;
        }

        try
        {
            rejection = DecodeAndNormalize(encoded, model, destination);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Defensive: SkiaSharp reports bad input through return codes, but never let odd bytes escape as another exception type.
            rejection = Undecodable($"decoding failed: {ex.Message}");
        }

        return rejection is null;
    }

    private unsafe ImageRejection? DecodeAndNormalize(ReadOnlySpan<byte> encoded, ModelDescriptor model, Span<float> destination)
    {
        var config = model.Config;
        fixed (byte* encodedPointer = encoded)
        {
            // Zero-copy view of the caller's bytes; data and codec are disposed before the pin is released.
            using var data = SKData.Create((IntPtr)encodedPointer, encoded.Length);
            if (data is null)
            {
                return Undecodable("the bytes could not be wrapped for decoding");
            }

            // The header's own claim first: SkiaSharp may refuse to create a codec for it, and then says nothing of it.
            var header = ImageHeader.Read(encoded);
            if (header.State == ImageHeaderState.Complete && header.Pixels > _maxPixels)
            {
                return ExceedsLimit(header.Format, header.Width, header.Height);
            }

            using var codec = SKCodec.Create(data);
            if (codec is null)
            {
                return NoCodec(encoded, header);
            }

            var info = codec.Info;
            var width = info.Width;
            var height = info.Height;
            if (width <= 0 || height <= 0)
            {
                return Undecodable(Invariant($"the header declares an invalid size {width}x{height}"));
            }

            var pixels = (long)width * height;
            if (pixels > _maxPixels)
            {
                return ExceedsLimit(codec.EncodedFormat, width, height);
            }

            // Gray sources stay 1 byte per pixel for grayscale models; everything else decodes to RGBA, unpremultiplied.
            var gray = config.Channels == 1 && info.ColorType == SKColorType.Gray8;
            var bytesPerPixel = gray ? 1 : 4;
            var (decodeWidth, decodeHeight) = DecodeSize(codec, config);
            var decodeInfo = new SKImageInfo(
                decodeWidth,
                decodeHeight,
                gray ? SKColorType.Gray8 : SKColorType.Rgba8888,
                gray ? SKAlphaType.Opaque : SKAlphaType.Unpremul);

            var decodedLength = checked(decodeWidth * decodeHeight * bytesPerPixel);
            var decoded = ArrayPool<byte>.Shared.Rent(decodedLength);
            try
            {
                SKCodecResult result;
                fixed (byte* decodedPointer = decoded)
                {
                    result = codec.GetPixels(decodeInfo, (IntPtr)decodedPointer, decodeInfo.RowBytes, SKCodecOptions.Default);
                }

                // Whether the file ends where its format says tells a cut-short file from a damaged one better than
                // the decoder's result: decoders report missing bytes as invalid input too, and a complete file as incomplete.
                var complete = ImageHeader.EndsComplete(encoded, codec.EncodedFormat);
                if ((result == SKCodecResult.IncompleteInput && complete != true) || (result != SKCodecResult.Success && complete == false))
                {
                    return new ImageRejection(
                        ImageRejectionReasons.Truncated,
                        Invariant($"The {codec.EncodedFormat} image ({width}x{height}) ends before all pixel data was read. Resend the complete file."));
                }

                if (result == SKCodecResult.IncompleteInput)
                {
                    // The file is complete, so the decoder stopped on pixel data it could not use, not on missing bytes.
                    return new ImageRejection(
                        ImageRejectionReasons.Corrupt,
                        Invariant($"The {codec.EncodedFormat} header is valid ({width}x{height}) and the file is complete, but its pixel data is corrupt. Re-encode the image and resend it."));
                }

                if (result != SKCodecResult.Success)
                {
                    return new ImageRejection(
                        ImageRejectionReasons.Corrupt,
                        Invariant($"The {codec.EncodedFormat} header is valid ({width}x{height}) but the decoder rejected the pixel data ({result}). Re-encode the image and resend it."));
                }

                if (decodeWidth == config.Width && decodeHeight == config.Height)
                {
                    model.Normalizer.Normalize(decoded.AsSpan(0, decodedLength), bytesPerPixel, destination);
                    return null;
                }

                return ResizeAndNormalize(decoded, decodeInfo, model, destination);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }
    }

    /// <summary>
    /// The smallest size the codec can decode to directly that still covers the model's input: JPEG decodes at 1/2, 1/4
    /// or 1/8 of its size through its DCT (WebP scales too), far cheaper than decoding a photo whole to shrink it
    /// afterwards (a 640 x 640 photo for a 224 x 224 model decodes at 320 x 320). Other formats decode at full size.
    /// </summary>
    private static (int Width, int Height) DecodeSize(SKCodec codec, ModelConfig config)
    {
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var needed = Math.Max((float)config.Width / width, (float)config.Height / height);
        for (var scale = needed; scale < 0.5f; scale *= 1.25f)
        {
            var scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width >= config.Width && scaled.Height >= config.Height)
            {
                return scaled.Width < width ? (scaled.Width, scaled.Height) : (width, height);
            }
        }

        return (width, height);
    }

    /// <summary>
    /// Why SkiaSharp created no codec, as truthfully as the header tells: no known signature is <c>undecodable</c>; a
    /// known one whose header, or whole file, ends early is <c>truncated</c>; a complete file whose header breaks its
    /// format's rules, or that the decoder refuses anyway, is <c>corrupt</c>.
    /// </summary>
    private static ImageRejection NoCodec(ReadOnlySpan<byte> encoded, ImageHeader header) => header.State switch
    {
        ImageHeaderState.Unknown => Undecodable("no decoder recognizes the header"),
        ImageHeaderState.CutShort => new ImageRejection(
            ImageRejectionReasons.Truncated,
            Invariant($"The {header.Format} image ends after {encoded.Length} bytes, inside its header. Resend the complete file.")),
        _ when ImageHeader.EndsComplete(encoded, header.Format) == false => new ImageRejection(
            ImageRejectionReasons.Truncated,
            Invariant($"The {header.Format} image ends after {encoded.Length} bytes, before the end of the file its header announces. Resend the complete file.")),
        ImageHeaderState.Invalid => new ImageRejection(
            ImageRejectionReasons.Corrupt,
            $"The {header.Format} header is damaged (it breaks the format's rules, or its checksum does not match). Re-encode the image and resend it."),
        _ => new ImageRejection(
            ImageRejectionReasons.Corrupt,
            Invariant($"The {header.Format} header declares {header.Width}x{header.Height}, but the decoder refuses the file. Re-encode the image and resend it.")),
    };

    private ImageRejection ExceedsLimit(SKEncodedImageFormat format, long width, long height) => new(
        ImageRejectionReasons.DimensionsExceedLimit,
        Invariant($"The {format} header declares {width}x{height} = {width * height} pixels, above the {_maxPixels}-pixel limit; the image was refused before decoding. Downscale it before sending, or raise InferenceOptions.MaxPixels."));

    private static unsafe ImageRejection? ResizeAndNormalize(byte[] decoded, SKImageInfo sourceInfo, ModelDescriptor model, Span<float> destination)
    {
        var config = model.Config;
        var targetInfo = sourceInfo.WithSize(config.Width, config.Height);
        var targetLength = targetInfo.BytesSize;
        var resized = ArrayPool<byte>.Shared.Rent(targetLength);
        try
        {
            bool scaled;
            fixed (byte* sourcePointer = decoded)
            fixed (byte* targetPointer = resized)
            {
                using var source = new SKPixmap(sourceInfo, (IntPtr)sourcePointer, sourceInfo.RowBytes);
                using var target = new SKPixmap(targetInfo, (IntPtr)targetPointer, targetInfo.RowBytes);
                var shrinksByHalfOrMore = sourceInfo.Width >= 2 * config.Width || sourceInfo.Height >= 2 * config.Height;
                scaled = source.ScalePixels(target, shrinksByHalfOrMore ? Mipmapped : Bilinear);
            }

            if (!scaled)
            {
                return Undecodable(Invariant($"resizing {sourceInfo.Width}x{sourceInfo.Height} {sourceInfo.ColorType} to {config.Width}x{config.Height} failed"));
            }

            model.Normalizer.Normalize(resized.AsSpan(0, targetLength), sourceInfo.BytesPerPixel, destination);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(resized);
        }
    }

    private static ImageRejection Undecodable(string detail) =>
        new(
            ImageRejectionReasons.Undecodable,
            $"The bytes are not a decodable {Formats} image ({detail}). Send the raw image file contents (not base64, a path or a URL), re-encoding it if it is damaged.");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
