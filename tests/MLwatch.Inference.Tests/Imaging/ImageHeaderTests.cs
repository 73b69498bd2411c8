using MLwatch.Inference.Imaging;
using MLwatch.Inference.Tests.Support;
using SkiaSharp;

namespace MLwatch.Inference.Tests.Imaging;

public sealed class ImageHeaderTests
{
    public static TheoryData<SKEncodedImageFormat> Formats() =>
        [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Gif];

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_dimensions_of_a_real_image_are_read_as_its_decoder_reads_them(SKEncodedImageFormat format)
    {
        var image = TestImages.Sample(format);
        using var codec = SKCodec.Create(SKData.CreateCopy(image));

        var header = ImageHeader.Read(image);

        Assert.Equal(ImageHeaderState.Complete, header.State);
        Assert.Equal(format, header.Format);
        Assert.Equal((codec.Info.Width, codec.Info.Height), ((int)header.Width, (int)header.Height));
        Assert.True(ImageHeader.EndsComplete(image, format) ?? true);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_cut_inside_the_header_after_the_signature_is_cut_short(SKEncodedImageFormat format)
    {
        var image = TestImages.Sample(format);
        var headerLength = HeaderLength(image);

        for (var length = 4; length < headerLength; length++)
        {
            var header = ImageHeader.Read(image.AsSpan(0, length));

            // Too few bytes to tell a BMP from text (its signature is two letters: its reserved bytes must be seen too),
            // or a WebP from other RIFF files (WAV, AVI) before "WEBP" at bytes 8-11.
            if ((format == SKEncodedImageFormat.Bmp && length < 8) || (format == SKEncodedImageFormat.Webp && length < 12))
            {
                Assert.Equal(ImageHeaderState.Unknown, header.State);
                continue;
            }

            Assert.True(header.State == ImageHeaderState.CutShort, $"{format} cut at {length} of a {headerLength}-byte header: {header.State}");
            Assert.Equal(format, header.Format);
        }

        Assert.Equal(ImageHeaderState.Complete, ImageHeader.Read(image.AsSpan(0, headerLength)).State);
    }

    [Fact]
    public void Dimensions_are_read_from_each_format_s_own_header_structure()
    {
        Assert.Equal((60_000L, 50_000L), Dimensions(TestImages.PngHeader(60_000, 50_000)));
        Assert.Equal((65_000L, 64_000L), Dimensions(TestImages.JpegHeader(65_000, 64_000)));
        Assert.Equal((65_535L, 1L), Dimensions(TestImages.GifHeader(65_535, 1)));
        Assert.Equal((60_000L, 60_000L), Dimensions(TestImages.BmpHeader(60_000, -60_000)));
        Assert.Equal((16_383L, 16_000L), Dimensions(TestImages.WebPHeader("VP8 ", 16_383, 16_000)));
        Assert.Equal((16_384L, 9L), Dimensions(TestImages.WebPHeader("VP8L", 16_384, 9)));
        Assert.Equal((16_777_216L, 3L), Dimensions(TestImages.WebPHeader("VP8X", 16_777_216, 3)));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("bm-text")]
    [InlineData("riff-wave")]
    [InlineData("short-png-prefix")]
    [InlineData("zeros")]
    public void Bytes_without_a_known_signature_are_unknown(string kind)
    {
        byte[] bytes = kind switch
        {
            "text" => "hello, this is not an image"u8.ToArray(),
            "bm-text" => "BMW and other cars are not bitmaps"u8.ToArray(),
            "riff-wave" => "RIFF\u0024\0\0\0WAVEfmt \u0010\0\0\0"u8.ToArray(),
            "short-png-prefix" => [0x89, (byte)'P', (byte)'N'],
            _ => new byte[64],
        };

        Assert.Equal(ImageHeaderState.Unknown, ImageHeader.Read(bytes).State);
    }

    [Fact]
    public void A_png_header_whose_checksum_fails_is_invalid_and_declares_nothing()
    {
        var png = TestImages.PngHeader(60_000, 60_000);
        png[^1] ^= 0xFF;

        var header = ImageHeader.Read(png);

        Assert.Equal(ImageHeaderState.Invalid, header.State);
        Assert.Equal(0, header.Pixels);
    }

    [Theory]
    [InlineData("jpeg-scan-before-frame")]
    [InlineData("jpeg-no-marker")]
    [InlineData("bmp-unknown-info-header")]
    [InlineData("webp-unknown-chunk")]
    [InlineData("webp-lossy-without-start-code")]
    [InlineData("bmp-zero-width")]
    public void A_header_that_breaks_its_format_s_rules_is_invalid(string kind)
    {
        byte[] bytes;
        switch (kind)
        {
            case "jpeg-scan-before-frame":
                bytes = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0];
                break;
            case "jpeg-no-marker":
                bytes = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12, 0x34];
                break;
            case "bmp-unknown-info-header":
                bytes = TestImages.BmpHeader(4, 4);
                bytes[14] = 77;
                break;
            case "webp-unknown-chunk":
                bytes = TestImages.WebPHeader("VP9 ", 4, 4);
                break;
            case "webp-lossy-without-start-code":
                bytes = TestImages.WebPHeader("VP8 ", 4, 4);
                bytes[24] = 0;
                break;
            default:
                bytes = TestImages.BmpHeader(0, 4);
                break;
        }

        Assert.Equal(ImageHeaderState.Invalid, ImageHeader.Read(bytes).State);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_file_cut_after_its_header_does_not_end_complete(SKEncodedImageFormat format)
    {
        var image = TestImages.Sample(format);

        Assert.True(ImageHeader.EndsComplete(image.AsSpan(0, image.Length - 1), format) == false);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(77);
        var prefixes = new[] { TestImages.PngHeader(4, 4)[..8], [0xFF, 0xD8, 0xFF], "GIF89a"u8.ToArray(), "BM\0\0\0\0\0\0\0\0"u8.ToArray(), TestImages.WebPHeader("VP8X", 4, 4)[..16] };
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var prefix = prefixes[i % prefixes.Length];
            prefix.AsSpan(0, Math.Min(prefix.Length, bytes.Length)).CopyTo(bytes);

            var header = ImageHeader.Read(bytes);

            Assert.True(header.State != ImageHeaderState.Complete || header.Width >= 0 && header.Height >= 0);
        }
    }

    private static (long Width, long Height) Dimensions(byte[] bytes)
    {
        var header = ImageHeader.Read(bytes);
        Assert.Equal(ImageHeaderState.Complete, header.State);
        return (header.Width, header.Height);
    }

    /// <summary>The shortest prefix of <paramref name="image"/> whose header reads as complete.</summary>
    internal static int HeaderLength(byte[] image)
    {
        for (var length = 1; length <= image.Length; length++)
        {
            if (ImageHeader.Read(image.AsSpan(0, length)).State == ImageHeaderState.Complete)
            {
                return length;
            }
        }

        throw new InvalidOperationException("The image's header never reads as complete.");
    }
}
