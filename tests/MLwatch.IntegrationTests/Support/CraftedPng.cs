using System.Buffers.Binary;
using System.Text;

namespace MLwatch.IntegrationTests.Support;

/// <summary>Hostile PNGs made from a valid one: chunks rewritten with correct CRCs, so only what was meant to be wrong is.</summary>
internal static class CraftedPng
{
    private const int SignatureLength = 8;

    /// <summary>The PNG with its IHDR claiming <paramref name="width"/> x <paramref name="height"/> (pixel data unchanged).</summary>
    public static byte[] WithDimensions(byte[] png, int width, int height) => Rewrite(png, "IHDR", data =>
    {
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(0, 4), width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4, 4), height);
    });

    /// <summary>The PNG with a valid header but its IDAT data (the zlib stream) replaced by garbage of the same length.</summary>
    public static byte[] WithCorruptPixelData(byte[] png) => Rewrite(png, "IDAT", data =>
    {
        // Keep the 2-byte zlib header so the stream starts plausibly; what follows is not deflate data.
        for (var i = 2; i < data.Length; i++)
        {
            data[i] = (byte)(0xA5 ^ (i * 31));
        }
    });

    private static byte[] Rewrite(byte[] png, string chunkType, Action<byte[]> change)
    {
        var result = (byte[])png.Clone();
        var position = SignatureLength;
        while (position + 12 <= result.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(result.AsSpan(position, 4));
            var type = Encoding.ASCII.GetString(result, position + 4, 4);
            if (type == chunkType)
            {
                var data = result.AsSpan(position + 8, length).ToArray();
                change(data);
                data.CopyTo(result.AsSpan(position + 8));
                BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(position + 8 + length, 4), Crc32(result.AsSpan(position + 4, 4 + length)));
                return result;
            }

            position += 12 + length;
        }

        throw new ArgumentException($"The PNG has no {chunkType} chunk.", nameof(png));
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
