using System.Diagnostics;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Inference.Tests.Support;
using SkiaSharp;

namespace MLwatch.Inference.Tests.Imaging;

public sealed class ImagePreprocessorTests
{
    private static readonly ImagePreprocessor Preprocessor = new(new InferenceOptions());

    private static float Expected(byte pixel, float scale, float mean, float std) => ((pixel / scale) - mean) / std;

    private static float[] Run(ModelDescriptor model, byte[] encoded)
    {
        var destination = new float[model.Config.ImageTensorLength];
        Preprocessor.Preprocess(encoded, model, destination);
        return destination;
    }

    [Fact]
    public void A_photo_far_larger_than_the_input_decodes_at_a_reduced_scale_to_nearly_the_tensor_of_a_careful_resize()
    {
        // Smooth gradients (what a photo mostly is): a 640 x 640 JPEG for a 112 x 112 RGB model decodes at 1/4 scale.
        const int side = 640;
        var rgba = new byte[side * side * 4];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var i = ((y * side) + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)(x * 255 / side), (byte)(y * 255 / side), (byte)((x + y) * 127 / side), 255);
            }
        }

        var jpeg = TestImages.EncodeRgba(side, side, rgba, SKEncodedImageFormat.Jpeg);
        var model = TestModels.Descriptor(TestModels.Config(width: 112, height: 112, channels: 3));
        using var full = SKBitmap.Decode(jpeg);
        using var reference = full.Resize(new SKImageInfo(112, 112, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var referencePng = reference.Encode(SKEncodedImageFormat.Png, 100);

        var fast = Run(model, jpeg);
        var careful = Run(model, referencePng.ToArray());

        // Normalized units (std 0.25): 0.05 is about 3 of 255 levels on average.
        var meanAbsoluteDifference = fast.Zip(careful, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanAbsoluteDifference < 0.05, $"mean absolute difference {meanAbsoluteDifference:F4}");
    }

    [Fact]
    public void Normalizes_hand_made_2x2_gray_image_exactly()
    {
        byte[] pixels = [0, 64, 128, 255];
        var model = TestModels.Descriptor(TestModels.Config(mean: [0.2860f], std: [0.3530f]));

        var actual = Run(model, TestImages.EncodeGray(2, 2, pixels));

        Assert.Equal(pixels.Select(p => Expected(p, 255f, 0.2860f, 0.3530f)).ToArray(), actual);
        Assert.Equal(-0.2860f / 0.3530f, actual[0]);
        Assert.Equal(((255f / 255f) - 0.2860f) / 0.3530f, actual[3]);
    }

    [Fact]
    public void Rgb_image_is_planar_in_nchw_and_interleaved_in_nhwc()
    {
        // Four pixels with distinct channel values: pixel i = (10+i, 100+i, 200+i).
        var rgba = new byte[16];
        for (var i = 0; i < 4; i++)
        {
            rgba[(i * 4) + 0] = (byte)(10 + i);
            rgba[(i * 4) + 1] = (byte)(100 + i);
            rgba[(i * 4) + 2] = (byte)(200 + i);
            rgba[(i * 4) + 3] = 255;
        }

        var encoded = TestImages.EncodeRgba(2, 2, rgba);
        float[] mean = [0.485f, 0.456f, 0.406f];
        float[] std = [0.229f, 0.224f, 0.225f];
        var nchw = Run(TestModels.Descriptor(TestModels.Config(channels: 3, mean: mean, std: std, layout: ModelConfig.LayoutNchw)), encoded);
        var nhwc = Run(TestModels.Descriptor(TestModels.Config(channels: 3, mean: mean, std: std, layout: ModelConfig.LayoutNhwc)), encoded);

        for (var i = 0; i < 4; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var expected = Expected(rgba[(i * 4) + c], 255f, mean[c], std[c]);
                Assert.Equal(expected, nchw[(c * 4) + i]);
                Assert.Equal(expected, nhwc[(i * 3) + c]);
            }
        }
    }

    [Fact]
    public void Color_image_becomes_luma_for_grayscale_models()
    {
        // Red, green, blue, mid gray; ITU-R 601-2 luma as PIL computes it: 76, 150, 29, 100.
        byte[] rgba = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 100, 100, 100, 255];
        var model = TestModels.Descriptor(TestModels.Config(mean: [0f], std: [1f], scale: 1f));

        var actual = Run(model, TestImages.EncodeRgba(2, 2, rgba));

        Assert.Equal([76f, 150f, 29f, 100f], actual);
    }

    [Fact]
    public void Gray_image_is_replicated_for_rgb_models()
    {
        byte[] pixels = [0, 50, 100, 250];
        var model = TestModels.Descriptor(TestModels.Config(channels: 3, mean: [0f, 0f, 0f], std: [1f, 1f, 1f], scale: 1f, layout: ModelConfig.LayoutNhwc));

        var actual = Run(model, TestImages.EncodeGray(2, 2, pixels));

        Assert.Equal(pixels.SelectMany(p => new float[] { p, p, p }).ToArray(), actual);
    }

    [Fact]
    public void Image_already_at_model_size_is_not_resampled()
    {
        var random = new Random(7);
        var pixels = new byte[28 * 28];
        random.NextBytes(pixels);
        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28, mean: [0f], std: [1f], scale: 1f));

        Assert.Equal(pixels.Select(p => (float)p).ToArray(), Run(model, TestImages.EncodeGray(28, 28, pixels)));

        // Same pixels as RGB PNG (R = G = B): luma keeps gray values exact too.
        var rgba = pixels.SelectMany(p => new[] { p, p, p, (byte)255 }).ToArray();
        Assert.Equal(pixels.Select(p => (float)p).ToArray(), Run(model, TestImages.EncodeRgba(28, 28, rgba)));
    }

    [Theory]
    [InlineData(56, 56)]
    [InlineData(7, 5)]
    [InlineData(1000, 600)]
    public void Resized_image_fills_exactly_the_model_tensor(int width, int height)
    {
        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28, mean: [0f], std: [1f], scale: 1f));
        var destination = new float[(28 * 28) + 1];
        destination[^1] = float.NaN;

        Preprocessor.Preprocess(TestImages.Uniform(width, height, 200), model, destination);

        Assert.All(destination[..^1], value => Assert.InRange(value, 199f, 201f));
        Assert.True(float.IsNaN(destination[^1]));
    }

    [Fact]
    public void Resize_keeps_coarse_structure()
    {
        // Left half black, right half white, 64x64 -> 28x28: left columns stay dark, right columns bright.
        var pixels = new byte[64 * 64];
        for (var y = 0; y < 64; y++)
        {
            for (var x = 32; x < 64; x++)
            {
                pixels[(y * 64) + x] = 255;
            }
        }

        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28, mean: [0f], std: [1f], scale: 1f));
        var actual = Run(model, TestImages.EncodeGray(64, 64, pixels));

        Assert.InRange(actual[(14 * 28) + 2], 0f, 10f);
        Assert.InRange(actual[(14 * 28) + 25], 245f, 255f);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void Decodes_skia_encodable_formats(SKEncodedImageFormat format)
    {
        var model = TestModels.Descriptor(TestModels.Config(width: 8, height: 8, mean: [0f], std: [1f], scale: 1f));
        var actual = Run(model, TestImages.EncodeRgba(8, 8, Enumerable.Repeat((byte)255, 8 * 8 * 4).ToArray(), format));

        Assert.All(actual, value => Assert.InRange(value, 250f, 255f));
    }

    [Fact]
    public void Decodes_bmp()
    {
        // 2x2, 24-bit, bottom-up BGR rows padded to 8 bytes: bottom row (blue, white), top row (red, green).
        var bmp = TestImages.BmpHeader(2, 2, pixelBytes: 16);
        byte[] rows = [255, 0, 0, 255, 255, 255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0];
        rows.CopyTo(bmp, 54);
        var model = TestModels.Descriptor(TestModels.Config(mean: [0f], std: [1f], scale: 1f));

        Assert.Equal([76f, 150f, 29f, 255f], Run(model, bmp));
    }

    [Fact]
    public void Decodes_gif()
    {
        // 1x1 GIF89a, two-colour palette (black, white), pixel = index 1 (white).
        var gif = Convert.FromHexString("47494638396101000100800000000000FFFFFF2C00000000010001000002024C01003B");
        var model = TestModels.Descriptor(TestModels.Config(width: 1, height: 1, mean: [0f], std: [1f], scale: 1f));

        Assert.Equal([255f], Run(model, gif));
    }

    [Fact]
    public void Empty_payload_is_rejected_as_empty()
    {
        var rejection = Reject([]);

        Assert.Equal(ImageRejectionReasons.Empty, rejection.Reason);
        Assert.Contains("empty", rejection.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("zeros")]
    [InlineData("ff")]
    [InlineData("base64-png")]
    public void Non_image_payloads_are_rejected_as_undecodable(string kind)
    {
        byte[] payload = kind switch
        {
            "text" => "hello, this is definitely not an image\n"u8.ToArray(),
            "zeros" => new byte[1024],
            "ff" => Enumerable.Repeat((byte)0xFF, 64).ToArray(),
            _ => System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(TestImages.Uniform(4, 4, 9))),
        };

        var rejection = Reject(payload);

        Assert.Equal(ImageRejectionReasons.Undecodable, rejection.Reason);
        Assert.Contains("not a decodable", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_never_throw_and_are_rejected()
    {
        var random = new Random(1234);
        for (var i = 0; i < 500; i++)
        {
            var payload = new byte[random.Next(1, 2048)];
            random.NextBytes(payload);

            var rejection = Reject(payload);

            Assert.Contains(rejection.Reason, new[] { ImageRejectionReasons.Undecodable, ImageRejectionReasons.Truncated, ImageRejectionReasons.Corrupt });
        }
    }

    [Fact]
    public void Truncated_png_is_rejected_at_every_cut()
    {
        var random = new Random(5);
        var pixels = new byte[28 * 28];
        random.NextBytes(pixels);
        var png = TestImages.EncodeGray(28, 28, pixels);
        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28));
        var destination = new float[28 * 28];

        for (var length = 1; length < png.Length; length++)
        {
            var ok = Preprocessor.TryPreprocess(png.AsSpan(0, length), model, destination, out var rejection);
            if (ok)
            {
                // Decodes only once every pixel is present: at most zlib's Adler-32, the IDAT CRC and IEND (20 bytes) may be missing.
                Assert.True(length >= png.Length - 20, $"cut at {length} of {png.Length} decoded");
                continue;
            }

            Assert.Contains(rejection!.Reason, new[] { ImageRejectionReasons.Undecodable, ImageRejectionReasons.Truncated, ImageRejectionReasons.Corrupt });
        }

        var halfRejection = Reject(png[..(png.Length / 2)], model);
        Assert.Equal(ImageRejectionReasons.Truncated, halfRejection.Reason);
    }

    [Fact]
    public void Corrupted_png_bytes_never_throw()
    {
        var random = new Random(99);
        var png = TestImages.EncodeGray(28, 28, Enumerable.Range(0, 28 * 28).Select(i => (byte)i).ToArray());
        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28));
        var destination = new float[28 * 28];

        for (var i = 0; i < 500; i++)
        {
            var corrupted = (byte[])png.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }

            if (!Preprocessor.TryPreprocess(corrupted, model, destination, out var rejection))
            {
                Assert.Contains(rejection.Reason, new[] { ImageRejectionReasons.Undecodable, ImageRejectionReasons.Truncated, ImageRejectionReasons.Corrupt });
            }
        }
    }

    [Fact]
    public void Header_claiming_60000x60000_is_refused_before_decoding()
    {
        var bmp = TestImages.BmpHeader(60000, 60000, pixelBytes: 64);

        var stopwatch = Stopwatch.StartNew();
        var rejection = Reject(bmp);
        stopwatch.Stop();

        Assert.Equal(ImageRejectionReasons.DimensionsExceedLimit, rejection.Reason);
        Assert.Contains("60000x60000", rejection.Message, StringComparison.Ordinal);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 500);
    }

    [Fact]
    public void Pixel_limit_is_configurable()
    {
        var strict = new ImagePreprocessor(new InferenceOptions { MaxPixels = 100 });
        var model = TestModels.Descriptor(TestModels.Config());
        var destination = new float[4];

        Assert.True(strict.TryPreprocess(TestImages.Uniform(10, 10, 1), model, destination, out _));
        Assert.False(strict.TryPreprocess(TestImages.Uniform(11, 10, 1), model, destination, out var rejection));
        Assert.Equal(ImageRejectionReasons.DimensionsExceedLimit, rejection.Reason);
    }

    [Fact]
    public void Payload_over_byte_limit_is_rejected_as_too_large()
    {
        var strict = new ImagePreprocessor(new InferenceOptions { MaxImageBytes = 100 });
        var model = TestModels.Descriptor(TestModels.Config());
        var png = TestImages.EncodeGray(2, 2, [1, 2, 3, 4]);
        var big = new byte[101];

        Assert.True(png.Length <= 100);
        Assert.True(strict.TryPreprocess(png, model, new float[4], out _));
        Assert.False(strict.TryPreprocess(big, model, new float[4], out var rejection));
        Assert.Equal(ImageRejectionReasons.TooLarge, rejection.Reason);
        Assert.Contains("MaxImageBytes", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preprocess_throws_ImageRejectedException_with_reason()
    {
        var model = TestModels.Descriptor(TestModels.Config());

        var exception = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess("nope"u8, model, new float[4]));

        Assert.Equal(ImageRejectionReasons.Undecodable, exception.Reason);
        Assert.Equal(exception.Rejection.Message, exception.Message);
    }

    [Fact]
    public void Destination_too_small_is_a_caller_error()
    {
        var model = TestModels.Descriptor(TestModels.Config());

        Assert.Throws<ArgumentException>(() => Preprocessor.Preprocess(TestImages.Uniform(2, 2, 0), model, new float[3]));
    }

    private static ImageRejection Reject(byte[] payload, ModelDescriptor? model = null)
    {
        model ??= TestModels.Descriptor(TestModels.Config(width: 28, height: 28));
        var accepted = Preprocessor.TryPreprocess(payload, model, new float[model.Config.ImageTensorLength], out var rejection);
        Assert.False(accepted, "payload was accepted");
        return rejection!;
    }
}
