using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace MLwatch.Inference.Datasets;

/// <summary>The Fashion-MNIST test set read from its gzipped IDX files: 28x28 gray images and their labels.</summary>
public sealed class FashionMnistTestSet
{
    /// <summary>File name of the gzipped IDX image file.</summary>
    public const string ImagesFileName = "t10k-images-idx3-ubyte.gz";

    /// <summary>File name of the gzipped IDX label file.</summary>
    public const string LabelsFileName = "t10k-labels-idx1-ubyte.gz";

    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private FashionMnistTestSet(byte[] pixels, byte[] labels, int width, int height)
    {
        _pixels = pixels;
        _labels = labels;
        Width = width;
        Height = height;
    }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>Image width in pixels (28).</summary>
    public int Width { get; }

    /// <summary>Image height in pixels (28).</summary>
    public int Height { get; }

    /// <summary>Loads <see cref="ImagesFileName"/> and <see cref="LabelsFileName"/> from <paramref name="directory"/>.</summary>
    public static FashionMnistTestSet Load(string directory) =>
        Load(Path.Combine(directory, ImagesFileName), Path.Combine(directory, LabelsFileName));

    /// <summary>Loads a gzipped IDX image file and its gzipped IDX label file; throws <see cref="InvalidDataException"/> naming the bad file.</summary>
    public static FashionMnistTestSet Load(string imagesPath, string labelsPath)
    {
        var images = ReadGzip(imagesPath);
        var labels = ReadGzip(labelsPath);
        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != ImagesMagic)
        {
            throw new InvalidDataException($"{imagesPath}: not an IDX3 image file (expected magic 0x00000803).");
        }

        if (labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != LabelsMagic)
        {
            throw new InvalidDataException($"{labelsPath}: not an IDX1 label file (expected magic 0x00000801).");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        var height = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var width = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        var labelCount = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        if (count < 0 || width <= 0 || height <= 0 || images.Length - 16 != (long)count * width * height)
        {
            throw new InvalidDataException(
                $"{imagesPath}: header declares {count} images of {width}x{height} but the file holds {images.Length - 16} pixel bytes.");
        }

        if (labelCount != count || labels.Length - 8 != labelCount)
        {
            throw new InvalidDataException(
                $"{labelsPath}: declares {labelCount} labels with {labels.Length - 8} bytes present; {imagesPath} has {count} images.");
        }

        return new FashionMnistTestSet(images[16..], labels[8..], width, height);
    }

    /// <summary>Row-major 8-bit gray pixels of image <paramref name="index"/> (Width * Height bytes).</summary>
    public ReadOnlySpan<byte> GetPixels(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var size = Width * Height;
        return _pixels.AsSpan(index * size, size);
    }

    /// <summary>Class label (0-9) of image <paramref name="index"/>.</summary>
    public int GetLabel(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _labels[index];
    }

    /// <summary>Image <paramref name="index"/> encoded as a grayscale PNG.</summary>
    public unsafe byte[] EncodePng(int index)
    {
        var pixels = GetPixels(index);
        var info = new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque);
        fixed (byte* pointer = pixels)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)pointer, Width);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode image {index} as PNG.");
            return data.ToArray();
        }
    }

    private static byte[] ReadGzip(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: not a valid gzip file ({ex.Message}).", ex);
        }
    }
}
