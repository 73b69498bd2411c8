using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Shifts;
using SkiaSharp;

namespace MLwatch.Cli.Tests;

/// <summary>Shifts over the real sources: the committed Fashion-MNIST test set and a directory of images.</summary>
public sealed class SourceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mlwatch-cli-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Fashion_mnist_raw_pixels_equal_its_decoded_png()
    {
        var source = ImageSources.Open(ImageSources.FashionMnist);
        foreach (var i in new[] { 0, 1, 9_999 })
        {
            var raster = source.GetRaster(i);
            var image = source.Get(i);
            Assert.Equal(28, raster.Image.Width);
            Assert.Equal(1, raster.Image.Channels);
            Assert.Equal(RasterImage.Decode(image.Bytes, image.Id).Pixels, raster.Image.Pixels);
            Assert.Equal(image.Label, raster.Label);
            Assert.Equal(image.Label, source.GetLabel(i));
        }
    }

    [Fact]
    public void Fashion_mnist_prior_by_name_and_index_keeps_ground_truth()
    {
        var source = ImageSources.Open(ImageSources.FashionMnist);
        var shifted = new ShiftedImageSource(source, ImageShiftParser.Parse("prior:Trouser,8+rotate:180"));
        var labels = Enumerable.Range(0, 200).Select(i => shifted.Get(i).Label).ToArray();
        Assert.Equal(100, labels.Count(l => l == "Trouser"));
        Assert.Equal(100, labels.Count(l => l == "Bag"));
        Assert.Equal(2_000, shifted.Count);
    }

    [Fact]
    public void Directory_images_are_shifted_in_colour_with_alpha_kept()
    {
        var bag = Directory.CreateDirectory(Path.Combine(_directory, "Bag")).FullName;
        File.WriteAllBytes(Path.Combine(bag, "rgba.png"), new RasterImage(2, 1, 4, [10, 20, 30, 255, 200, 100, 0, 128]).EncodePng());
        var coat = Directory.CreateDirectory(Path.Combine(_directory, "Coat")).FullName;
        File.WriteAllBytes(Path.Combine(coat, "gray.png"), RasterImage.Gray(2, 1, [0, 100]).EncodePng());
        Assert.True(ImageSources.TryOpen(_directory, ImageShiftParser.Parse("invert"), 0, out var shifted, out var error), error);

        var rgba = shifted.Get(0);
        Assert.Equal("Bag", rgba.Label);
        var decoded = RasterImage.Decode(rgba.Bytes, rgba.Id);
        Assert.Equal(4, decoded.Channels);
        Assert.Equal([245, 235, 225, 255, 55, 155, 255, 128], decoded.Pixels);

        var gray = shifted.Get(1);
        Assert.Equal("Coat", gray.Label);
        Assert.Equal([255, 155], RasterImage.Decode(gray.Bytes, gray.Id).Pixels);
    }

    [Fact]
    public void Directory_prior_uses_folder_names()
    {
        foreach (var label in new[] { "Bag", "Coat" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(_directory, label)).FullName;
            File.WriteAllBytes(Path.Combine(folder, "a.png"), RasterImage.Gray(1, 1, [1]).EncodePng());
        }

        Assert.True(ImageSources.TryOpen(_directory, ImageShiftParser.Parse("prior:coat"), 0, out var shifted, out _));
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal("Coat", shifted.Get(i).Label));
        Assert.False(ImageSources.TryOpen(_directory, ImageShiftParser.Parse("prior:3"), 0, out _, out var error));
        Assert.Contains("'3' is not a label of the source. Use one of: Bag, Coat.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Undecodable_directory_images_are_refused_before_producing()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllBytes(Path.Combine(_directory, "broken.png"), [1, 2, 3]);
        Assert.False(ImageSources.TryOpen(_directory, ImageShiftParser.Parse("blur:1"), 0, out _, out var error));
        Assert.Contains("broken.png: not a decodable", error, StringComparison.Ordinal);
        Assert.True(ImageSources.TryOpen(_directory, [], 0, out _, out _)); // unshifted, bytes go out as they are
    }

    [Fact]
    public void Decode_refuses_garbage_naming_it() =>
        Assert.Contains("x.bin", Assert.Throws<InvalidDataException>(() => RasterImage.Decode(new byte[] { 0, 1, 2 }, "x.bin")).Message, StringComparison.Ordinal);

    [Fact]
    public void Jpeg_directory_images_decode()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "Bag"));
        using var bitmap = new SKBitmap(new SKImageInfo(4, 4, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(128, 128, 128));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(Path.Combine(_directory, "Bag", "grey.jpg"), data.ToArray());
        Assert.True(ImageSources.TryOpen(_directory, ImageShiftParser.Parse("brightness:0.5"), 0, out var shifted, out var error), error);
        var image = shifted.GetRaster(0).Image;
        Assert.All(image.Pixels.Where((_, i) => i % image.Channels < image.ColorChannels), p => Assert.InRange(p, 62, 66));
    }
}
