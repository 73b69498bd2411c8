using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace MLwatch.Inference.Tests.Support;

/// <summary>Encodes small in-memory images for tests.</summary>
internal static class TestImages
{
    public static byte[] EncodeGray(int width, int height, byte[] pixels, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Encode(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), pixels, format);

    /// <summary>RGBA, row-major, 4 bytes per pixel, opaque.</summary>
    public static byte[] EncodeRgba(int width, int height, byte[] rgba, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Encode(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba, format);

    private static byte[] Encode(SKImageInfo info, byte[] pixels, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(info);
        Assert.Equal(info.RowBytes, bitmap.RowBytes);
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(format, 100);
        Assert.NotNull(data);
        return data.ToArray();
    }

    public static byte[] Uniform(int width, int height, byte value) => EncodeGray(width, height, Enumerable.Repeat(value, width * height).ToArray());

    /// <summary>A 24-bit BMP: valid header claiming <paramref name="width"/>x<paramref name="height"/>, with <paramref name="pixelBytes"/> bytes of data.</summary>
    public static byte[] BmpHeader(int width, int height, int pixelBytes = 0)
    {
        var bytes = new byte[54 + pixelBytes];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        var rowBytes = ((width * 3) + 3) & ~3;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), (uint)(54 + ((long)rowBytes * height)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);      // pixel data offset
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);      // BITMAPINFOHEADER size
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);       // planes
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);      // bits per pixel
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(34), (uint)((long)rowBytes * height));
        return bytes;
    }
}
