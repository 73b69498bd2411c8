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

    /// <summary>1x1 GIF89a, two-colour palette (black, white), pixel = index 1 (white).</summary>
    public static byte[] Gif1x1 => Convert.FromHexString("47494638396101000100800000000000FFFFFF2C00000000010001000002024C01003B");

    /// <summary>A small image of <paramref name="format"/> (8x6, a gradient): encoded by SkiaSharp, or made by hand for BMP and GIF.</summary>
    public static byte[] Sample(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Bmp => BmpHeader(8, 6, pixelBytes: 24 * 6),
        SKEncodedImageFormat.Gif => Gif1x1,
        _ => EncodeRgba(8, 6, [.. Enumerable.Range(0, 8 * 6 * 4).Select(i => (byte)(i * 5))], format),
    };

    /// <summary>A PNG whose IHDR claims <paramref name="width"/>x<paramref name="height"/> with a correct CRC, and nothing after it.</summary>
    public static byte[] PngHeader(uint width, uint height)
    {
        var bytes = new byte[8 + 25];
        ((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]).CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;   // bit depth; colour type 0 (gray), compression, filter, interlace 0
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(12, 17)));
        return bytes;
    }

    /// <summary>A JPEG start: SOI, an APP0 segment, then a baseline SOF0 claiming <paramref name="width"/>x<paramref name="height"/>, and nothing after it.</summary>
    public static byte[] JpegHeader(ushort width, ushort height)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 };
        bytes.AddRange("JFIF\0"u8.ToArray());
        bytes.AddRange(new byte[] { 1, 1, 0, 0, 1, 0, 1, 0, 0 });
        bytes.AddRange(new byte[] { 0xFF, 0xC0, 0x00, 0x0B, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0 });
        return [.. bytes];
    }

    /// <summary>A GIF89a logical screen descriptor claiming <paramref name="width"/>x<paramref name="height"/>, and nothing after it.</summary>
    public static byte[] GifHeader(ushort width, ushort height)
    {
        var bytes = new byte[13];
        "GIF89a"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), height);
        return bytes;
    }

    /// <summary>A WebP RIFF header and the first chunk (<paramref name="chunk"/>: "VP8 ", "VP8L" or "VP8X") claiming <paramref name="width"/>x<paramref name="height"/>.</summary>
    public static byte[] WebPHeader(string chunk, int width, int height)
    {
        var bytes = new byte[40];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        "WEBP"u8.CopyTo(bytes.AsSpan(8));
        System.Text.Encoding.ASCII.GetBytes(chunk).CopyTo(bytes, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 20);
        switch (chunk)
        {
            case "VP8 ":
                ((ReadOnlySpan<byte>)[0x9D, 0x01, 0x2A]).CopyTo(bytes.AsSpan(23));
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), (ushort)width);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), (ushort)height);
                break;
            case "VP8L":
                bytes[20] = 0x2F;
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(21), (uint)((width - 1) | ((height - 1) << 14)));
                break;
            default:
                bytes[24] = (byte)(width - 1);
                bytes[25] = (byte)((width - 1) >> 8);
                bytes[26] = (byte)((width - 1) >> 16);
                bytes[27] = (byte)(height - 1);
                bytes[28] = (byte)((height - 1) >> 8);
                bytes[29] = (byte)((height - 1) >> 16);
                break;
        }

        return bytes;
    }

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
