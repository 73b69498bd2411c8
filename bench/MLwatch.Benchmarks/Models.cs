using MLwatch.Inference.Models;
using SkiaSharp;

namespace MLwatch.Benchmarks;

/// <summary>The committed fashion-mnist model and its test images, and a photo-sized JPEG, found from the working directory.</summary>
internal static class Models
{
    public static ModelDescriptor FashionMnist => ModelDescriptor.Load(Path.Combine(Root, "fashion-mnist"));

    /// <summary>MobileNetV2 of models/bench/generated (models/bench/export.py), when it was made; else null.</summary>
    public static ModelDescriptor? MobileNetV2 =>
        File.Exists(Path.Combine(Root, "bench", "generated", "mobilenet-v2", "config.json")) ? ModelDescriptor.Load(Path.Combine(Root, "bench", "generated", "mobilenet-v2")) : null;

    public static string Root => ModelCatalog.LocateModelsRoot(Directory.GetCurrentDirectory()) ?? ModelCatalog.LocateModelsRoot()
        ?? throw new DirectoryNotFoundException("Run the benchmarks from the MLwatch checkout: models/ was not found.");

    /// <summary>A 640 x 640 JPEG of smooth colours and noise, about as large as a photo of that size.</summary>
    public static byte[] PhotoJpeg()
    {
        var random = new Random(1);
        using var bitmap = new SKBitmap(640, 640, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (var y = 0; y < 640; y++)
        {
            for (var x = 0; x < 640; x++)
            {
                var noise = random.Next(-90, 91);
                bitmap.SetPixel(x, y, new SKColor((byte)Math.Clamp((x * 255 / 640) + noise, 0, 255), (byte)Math.Clamp((y * 255 / 640) - noise, 0, 255), (byte)Math.Clamp(128 + noise, 0, 255)));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 92);
        return data.ToArray();
    }
}
