using SkiaSharp;

namespace MLwatch.IntegrationTests.Support;

/// <summary>Photo-sized JPEGs made up for tests: smooth colour gradients with fine noise, about as large as a camera photo of the same size.</summary>
internal static class PhotoLikeJpeg
{
    /// <summary>A <paramref name="width"/> x <paramref name="height"/> JPEG, different for each <paramref name="seed"/>.</summary>
    public static byte[] Create(int seed, int width, int height, int quality = 92)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var (r0, g0, b0) = (random.Next(256), random.Next(256), random.Next(256));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var noise = random.Next(-90, 91);
                bitmap.SetPixel(x, y, new SKColor(
                    Clamp(r0 + (x * 255 / width) + noise),
                    Clamp(g0 + (y * 255 / height) - noise),
                    Clamp(b0 + ((x + y) * 127 / (width + height)) + noise)));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
