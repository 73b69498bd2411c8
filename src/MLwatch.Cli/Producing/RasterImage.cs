using SkiaSharp;

namespace MLwatch.Cli.Producing;

/// <summary>
/// Decoded 8-bit pixels, row-major and interleaved: 1 channel (gray) or 4 (RGBA, unpremultiplied, alpha last).
/// Mutable, so shifts can work in place.
/// </summary>
public sealed class RasterImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied): width * height * channels bytes.</summary>
    public RasterImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is not (1 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (gray) or 4 (RGBA).");
        }

        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"A {width}x{height} image with {channels} channel(s) needs {width * height * channels} bytes, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 (gray) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>Channels that carry intensity: all but alpha (1 for gray, 3 for RGBA).</summary>
    public int ColorChannels => Channels == 4 ? 3 : 1;

    public byte[] Pixels { get; }

    /// <summary>A gray image over a copy of <paramref name="pixels"/>.</summary>
    public static RasterImage Gray(int width, int height, ReadOnlySpan<byte> pixels) => new(width, height, 1, pixels.ToArray());

    /// <summary>A blank image of the same size and channel count.</summary>
    public RasterImage CreateBlank() => new(Width, Height, Channels, new byte[Pixels.Length]);

    /// <summary>
    /// Decodes PNG, JPEG, BMP, WebP or GIF bytes with SkiaSharp: gray sources stay gray, everything else becomes RGBA.
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="name"/> when the bytes cannot be decoded.
    /// </summary>
    public static unsafe RasterImage Decode(ReadOnlySpan<byte> encoded, string name)
    {
        fixed (byte* pointer = encoded)
        {
            using var data = SKData.Create((IntPtr)pointer, encoded.Length);
            using var codec = (data is null ? null : SKCodec.Create(data))
                ?? throw new InvalidDataException($"{name}: not a decodable PNG, JPEG, BMP, WebP or GIF image.");
            var gray = codec.Info.ColorType == SKColorType.Gray8;
            var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, gray ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
            var image = new RasterImage(info.Width, info.Height, gray ? 1 : 4, new byte[info.BytesSize]);
            fixed (byte* target = image.Pixels)
            {
                var result = codec.GetPixels(info, (IntPtr)target, info.RowBytes, SKCodecOptions.Default);
                if (result != SKCodecResult.Success)
                {
                    throw new InvalidDataException($"{name}: the {codec.EncodedFormat} decoder reported {result}.");
                }
            }

            return image;
        }
    }

    /// <summary>Encodes the pixels as PNG (Gray8 or RGBA8888).</summary>
    public unsafe byte[] EncodePng()
    {
        var info = Channels == 1
            ? new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        fixed (byte* pointer = Pixels)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)pointer, info.RowBytes);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {Width}x{Height} image as PNG.");
            return data.ToArray();
        }
    }
}
