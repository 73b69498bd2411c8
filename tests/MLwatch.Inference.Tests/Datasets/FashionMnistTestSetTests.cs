using System.Buffers.Binary;
using System.IO.Compression;
using MLwatch.Inference.Datasets;
using MLwatch.Inference.Tests.Support;
using SkiaSharp;

namespace MLwatch.Inference.Tests.Datasets;

public sealed class FashionMnistTestSetTests
{
    [Fact]
    public void Reads_gzipped_idx_and_round_trips_png()
    {
        using var directory = new TempDirectory();
        var pixels = Enumerable.Range(0, 3 * 784).Select(i => (byte)(i * 7)).ToArray();
        WriteIdx(Path.Combine(directory.Path, FashionMnistTestSet.ImagesFileName), 0x803, [3, 28, 28], pixels);
        WriteIdx(Path.Combine(directory.Path, FashionMnistTestSet.LabelsFileName), 0x801, [3], [4, 0, 9]);

        var set = FashionMnistTestSet.Load(directory.Path);

        Assert.Equal(3, set.Count);
        Assert.Equal((28, 28), (set.Width, set.Height));
        Assert.Equal([4, 0, 9], Enumerable.Range(0, 3).Select(set.GetLabel));
        Assert.Equal(pixels.AsSpan(784, 784).ToArray(), set.GetPixels(1).ToArray());
        using var decoded = SKBitmap.Decode(set.EncodePng(2));
        Assert.Equal(SKColorType.Gray8, decoded.ColorType);
        Assert.Equal(pixels.AsSpan(2 * 784, 784).ToArray(), decoded.GetPixelSpan().ToArray());
    }

    [Fact]
    public void Wrong_magic_names_the_file()
    {
        using var directory = new TempDirectory();
        var images = Path.Combine(directory.Path, FashionMnistTestSet.ImagesFileName);
        var labels = Path.Combine(directory.Path, FashionMnistTestSet.LabelsFileName);
        WriteIdx(images, 0x801, [1], [0]);
        WriteIdx(labels, 0x801, [1], [0]);

        var exception = Assert.Throws<InvalidDataException>(() => FashionMnistTestSet.Load(images, labels));

        Assert.StartsWith(images, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_mismatch_is_reported()
    {
        using var directory = new TempDirectory();
        WriteIdx(Path.Combine(directory.Path, FashionMnistTestSet.ImagesFileName), 0x803, [1, 28, 28], new byte[784]);
        WriteIdx(Path.Combine(directory.Path, FashionMnistTestSet.LabelsFileName), 0x801, [2], [0, 1]);

        Assert.Throws<InvalidDataException>(() => FashionMnistTestSet.Load(directory.Path));
    }

    [Fact]
    public void Reads_the_committed_test_set()
    {
        var set = FashionMnistTestSet.Load(TestModels.FashionMnistTestSetDirectory);

        Assert.Equal(10_000, set.Count);
        Assert.Equal((28, 28), (set.Width, set.Height));
        Assert.All(
            Enumerable.Range(0, set.Count).GroupBy(set.GetLabel).ToArray(),
            group => Assert.Equal(1000, group.Count()));
        Assert.InRange(set.EncodePng(0).Length, 100, 2000);
    }

    private static void WriteIdx(string path, int magic, int[] dimensions, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        gzip.Write(word);
        foreach (var dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, dimension);
            gzip.Write(word);
        }

        gzip.Write(data);
    }
}
