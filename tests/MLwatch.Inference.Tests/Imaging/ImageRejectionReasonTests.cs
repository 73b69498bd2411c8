using MLwatch.Inference.Imaging;
using MLwatch.Inference.Tests.Support;
using SkiaSharp;

namespace MLwatch.Inference.Tests.Imaging;

/// <summary>Reason codes say the truth: what was cut short is truncated, what claims too many pixels exceeds the limit, whatever the format.</summary>
public sealed class ImageRejectionReasonTests
{
    private static readonly ImagePreprocessor Preprocessor = new(new InferenceOptions());

    public static TheoryData<SKEncodedImageFormat> Formats() =>
        [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Gif];

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_image_cut_inside_its_header_is_truncated_not_undecodable(SKEncodedImageFormat format)
    {
        var image = TestImages.Sample(format);
        var first = format switch { SKEncodedImageFormat.Bmp => 8, SKEncodedImageFormat.Webp => 12, _ => 4 };

        for (var length = first; length < ImageHeaderTests.HeaderLength(image); length++)
        {
            var rejection = Reject(image[..length]);

            Assert.True(rejection.Reason == ImageRejectionReasons.Truncated, $"{format} cut at {length}: {rejection.Reason} ({rejection.Message})");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_image_cut_after_its_header_is_truncated(SKEncodedImageFormat format)
    {
        var image = TestImages.Sample(format);
        var cut = image[..(ImageHeaderTests.HeaderLength(image) + 1)];

        Assert.Equal(ImageRejectionReasons.Truncated, Reject(cut).Reason);
    }

    public static TheoryData<string, byte[], string> Oversized() => new()
    {
        { "PNG", TestImages.PngHeader(60_000, 60_000), "60000x60000" },
        { "JPEG", TestImages.JpegHeader(65_000, 65_000), "65000x65000" },
        { "GIF", TestImages.GifHeader(65_535, 65_535), "65535x65535" },
        { "BMP", TestImages.BmpHeader(60_000, 60_000, pixelBytes: 64), "60000x60000" },
        { "BMP top-down", TestImages.BmpHeader(60_000, -60_000, pixelBytes: 64), "60000x60000" },
        { "WebP lossy", TestImages.WebPHeader("VP8 ", 16_383, 16_383), "16383x16383" },
        { "WebP lossless", TestImages.WebPHeader("VP8L", 16_384, 16_384), "16384x16384" },
        { "WebP extended", TestImages.WebPHeader("VP8X", 1_000_000, 1_000_000), "1000000x1000000" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public void A_header_claiming_more_pixels_than_the_limit_exceeds_it_whatever_the_format(string kind, byte[] header, string dimensions)
    {
        var rejection = Reject(header);

        Assert.True(rejection.Reason == ImageRejectionReasons.DimensionsExceedLimit, $"{kind}: {rejection.Reason} ({rejection.Message})");
        Assert.Contains(dimensions, rejection.Message, StringComparison.Ordinal);
        Assert.Contains("InferenceOptions.MaxPixels", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_png_whose_header_checksum_fails_is_corrupt()
    {
        var png = TestImages.Sample(SKEncodedImageFormat.Png);
        png[8 + 8 + 13] ^= 0xFF;

        var rejection = Reject(png);

        Assert.Equal(ImageRejectionReasons.Corrupt, rejection.Reason);
    }

    [Fact]
    public void A_header_within_the_limit_is_decoded_as_before()
    {
        var model = TestModels.Descriptor(TestModels.Config(width: 8, height: 6));

        foreach (var format in new[] { SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Bmp })
        {
            Assert.True(Preprocessor.TryPreprocess(TestImages.Sample(format), model, new float[model.Config.ImageTensorLength], out var rejection), $"{format}: {rejection}");
        }
    }

    private static ImageRejection Reject(byte[] payload)
    {
        var model = TestModels.Descriptor(TestModels.Config(width: 28, height: 28));
        Assert.False(Preprocessor.TryPreprocess(payload, model, new float[model.Config.ImageTensorLength], out var rejection), "payload was accepted");
        return rejection!;
    }
}
