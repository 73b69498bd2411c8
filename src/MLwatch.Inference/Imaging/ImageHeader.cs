using System.Buffers.Binary;
using System.IO.Hashing;
using SkiaSharp;

namespace MLwatch.Inference.Imaging;

/// <summary>How far an image's header could be read.</summary>
internal enum ImageHeaderState
{
    /// <summary>No known signature: not a PNG, JPEG, GIF, BMP or WebP.</summary>
    Unknown,

    /// <summary>A known signature, but the bytes end before the header does (the image was cut short).</summary>
    CutShort,

    /// <summary>A known signature followed by a header that breaks its format's rules.</summary>
    Invalid,

    /// <summary>The header is complete and declares the image's dimensions.</summary>
    Complete,
}

/// <summary>
/// What the first bytes of an image claim: its format, whether its header is all there, and the dimensions it declares.
/// <para>
/// Hand-written, on purpose: SkiaSharp's <see cref="SKCodec.Create(SKData)"/> refuses some headers outright (one cut
/// short, or dimensions its decoders will not take) and then says nothing of what the header claimed, so it cannot tell
/// a cut-short image from random bytes nor refuse a huge image by its declared size. What is needed are a few
/// fixed-offset fields of each format's first structure (PNG IHDR, JPEG SOFn, GIF logical screen, BMP info header,
/// WebP VP8/VP8L/VP8X), a few dozen lines; a second image library (ImageSharp, MetadataExtractor) would bring a whole
/// decoder stack, with failure modes of its own, to read them. Only the header is read here; decoding stays SkiaSharp's.
/// </para>
/// </summary>
/// <param name="Format">The format its signature names (<see cref="SKEncodedImageFormat.Png"/> etc.); meaningless when <see cref="State"/> is Unknown.</param>
/// <param name="State">How far the header could be read.</param>
/// <param name="Width">Declared width in pixels, when <see cref="State"/> is Complete.</param>
/// <param name="Height">Declared height in pixels, when <see cref="State"/> is Complete.</param>
internal readonly record struct ImageHeader(SKEncodedImageFormat Format, ImageHeaderState State, long Width = 0, long Height = 0)
{
    // A signature cut shorter than this is not told apart from arbitrary bytes.
    private const int MinSignaturePrefix = 4;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> PngEnd => [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    /// <summary>Pixels the header declares (width × height).</summary>
    public long Pixels => Width * Height;

    /// <summary>Reads the header of <paramref name="encoded"/>; never throws.</summary>
    public static ImageHeader Read(ReadOnlySpan<byte> encoded)
    {
        if (StartsWithSignature(encoded, PngSignature))
        {
            return ReadPng(encoded);
        }

        if (StartsWithSignature(encoded, [0xFF, 0xD8, 0xFF]))
        {
            return ReadJpeg(encoded);
        }

        if (StartsWithSignature(encoded, "GIF87a"u8) || StartsWithSignature(encoded, "GIF89a"u8))
        {
            return ReadGif(encoded);
        }

        if (encoded.Length >= 12 && encoded.StartsWith("RIFF"u8) && encoded[8..12].SequenceEqual("WEBP"u8))
        {
            return ReadWebP(encoded);
        }

        return LooksLikeBmp(encoded) ? ReadBmp(encoded) : new ImageHeader(default, ImageHeaderState.Unknown);
    }

    /// <summary>
    /// Whether <paramref name="encoded"/> ends where its format says the file ends: PNG's IEND chunk, JPEG's EOI marker,
    /// GIF's trailer, the length BMP's file header and WebP's RIFF header declare; null when it cannot tell (a BMP
    /// declaring size 0, as many writers leave it).
    /// </summary>
    public static bool? EndsComplete(ReadOnlySpan<byte> encoded, SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => encoded.EndsWith(PngEnd),
        SKEncodedImageFormat.Jpeg => encoded.EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9]),
        SKEncodedImageFormat.Gif => encoded.Length > 0 && encoded[^1] == 0x3B,
        SKEncodedImageFormat.Bmp when encoded.Length >= 6 && BinaryPrimitives.ReadUInt32LittleEndian(encoded[2..6]) is var size and > 0 => size <= encoded.Length,
        SKEncodedImageFormat.Webp => encoded.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(encoded[4..8]) + 8L <= encoded.Length,
        _ => null,
    };

    /// <summary>Whether <paramref name="encoded"/> starts with <paramref name="signature"/>, or is a long enough start of it.</summary>
    private static bool StartsWithSignature(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> signature) =>
        encoded.Length >= signature.Length
            ? encoded.StartsWith(signature)
            : encoded.Length >= Math.Min(MinSignaturePrefix, signature.Length) && signature.StartsWith(encoded);

    private static ImageHeader CutShort(SKEncodedImageFormat format) => new(format, ImageHeaderState.CutShort);

    private static ImageHeader Invalid(SKEncodedImageFormat format) => new(format, ImageHeaderState.Invalid);

    /// <summary>Signature, then the IHDR chunk: length 13, "IHDR", width and height (big-endian), five bytes, CRC-32.</summary>
    private static ImageHeader ReadPng(ReadOnlySpan<byte> encoded)
    {
        const SKEncodedImageFormat format = SKEncodedImageFormat.Png;
        if (encoded.Length < 8 + 8 + 13 + 4)
        {
            return CutShort(format);
        }

        var chunk = encoded[8..];
        if (BinaryPrimitives.ReadUInt32BigEndian(chunk) != 13 || !chunk[4..8].SequenceEqual("IHDR"u8)
            || Crc32.HashToUInt32(chunk[4..21]) != BinaryPrimitives.ReadUInt32BigEndian(chunk[21..25]))
        {
            return Invalid(format);
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(chunk[8..12]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(chunk[12..16]);
        return width is 0 or > int.MaxValue || height is 0 or > int.MaxValue
            ? Invalid(format)
            : new ImageHeader(format, ImageHeaderState.Complete, width, height);
    }

    /// <summary>SOI, then marker segments up to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC), which holds height and width.</summary>
    private static ImageHeader ReadJpeg(ReadOnlySpan<byte> encoded)
    {
        const SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg;
        var position = 2;
        while (true)
        {
            if (position >= encoded.Length)
            {
                return CutShort(format);
            }

            if (encoded[position] != 0xFF)
            {
                return Invalid(format);
            }

            // Any number of 0xFF fill bytes may precede a marker.
            while (position < encoded.Length && encoded[position] == 0xFF)
            {
                position++;
            }

            if (position >= encoded.Length)
            {
                return CutShort(format);
            }

            var marker = encoded[position++];
            if (marker is (>= 0xD0 and <= 0xD7) or 0x01)
            {
                continue;
            }

            // Stuffed zero, another SOI, or the image or its scan starting before any frame header.
            if (marker is 0x00 or 0xD8 or 0xD9 or 0xDA)
            {
                return Invalid(format);
            }

            if (position + 2 > encoded.Length)
            {
                return CutShort(format);
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(encoded[position..]);
            if (length < 2)
            {
                return Invalid(format);
            }

            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (length < 8)
                {
                    return Invalid(format);
                }

                if (position + 7 > encoded.Length)
                {
                    return CutShort(format);
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(encoded[(position + 3)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(encoded[(position + 5)..]);
                return new ImageHeader(format, ImageHeaderState.Complete, width, height);
            }

            position += length;
        }
    }

    /// <summary>Signature, then the logical screen's width and height (little-endian 16-bit).</summary>
    private static ImageHeader ReadGif(ReadOnlySpan<byte> encoded) =>
        encoded.Length < 10
            ? CutShort(SKEncodedImageFormat.Gif)
            : new ImageHeader(
                SKEncodedImageFormat.Gif,
                ImageHeaderState.Complete,
                BinaryPrimitives.ReadUInt16LittleEndian(encoded[6..8]),
                BinaryPrimitives.ReadUInt16LittleEndian(encoded[8..10]));

    /// <summary>
    /// "BM" alone is too weak a signature (text starts with it): the file header's reserved bytes 6–9 must be zero too,
    /// as far as they are there, and at least the first two of them must be.
    /// </summary>
    private static bool LooksLikeBmp(ReadOnlySpan<byte> encoded) =>
        encoded.Length >= 8 && encoded.StartsWith("BM"u8) && !encoded[6..Math.Min(10, encoded.Length)].ContainsAnyExcept((byte)0);

    /// <summary>File header (14 bytes), then the DIB header: its size, then width and height (16-bit for the old core header, else 32-bit; a negative height is a top-down image).</summary>
    private static ImageHeader ReadBmp(ReadOnlySpan<byte> encoded)
    {
        const SKEncodedImageFormat format = SKEncodedImageFormat.Bmp;
        if (encoded.Length < 18)
        {
            return CutShort(format);
        }

        var dibSize = BinaryPrimitives.ReadUInt32LittleEndian(encoded[14..18]);
        if (dibSize == 12)
        {
            return encoded.Length < 22
                ? CutShort(format)
                : Positive(format, BinaryPrimitives.ReadUInt16LittleEndian(encoded[18..20]), BinaryPrimitives.ReadUInt16LittleEndian(encoded[20..22]));
        }

        if (dibSize is not (16 or 40 or 52 or 56 or 64 or 108 or 124))
        {
            return Invalid(format);
        }

        if (encoded.Length < 26)
        {
            return CutShort(format);
        }

        var width = BinaryPrimitives.ReadInt32LittleEndian(encoded[18..22]);
        var height = BinaryPrimitives.ReadInt32LittleEndian(encoded[22..26]);
        return height == int.MinValue ? Invalid(format) : Positive(format, width, Math.Abs(height));
    }

    /// <summary>
    /// RIFF header, then the first chunk: "VP8 " (lossy: a frame tag, start code 9D 01 2A, 14-bit width and height),
    /// "VP8L" (lossless: signature 0x2F, then 14-bit width − 1 and height − 1) or "VP8X" (extended: flags, then 24-bit
    /// canvas width − 1 and height − 1).
    /// </summary>
    private static ImageHeader ReadWebP(ReadOnlySpan<byte> encoded)
    {
        const SKEncodedImageFormat format = SKEncodedImageFormat.Webp;
        if (encoded.Length < 20)
        {
            return CutShort(format);
        }

        var chunk = encoded[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (encoded.Length < 30)
            {
                return CutShort(format);
            }

            return encoded[23..26].SequenceEqual((ReadOnlySpan<byte>)[0x9D, 0x01, 0x2A])
                ? Positive(format, BinaryPrimitives.ReadUInt16LittleEndian(encoded[26..28]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(encoded[28..30]) & 0x3FFF)
                : Invalid(format);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (encoded.Length < 25)
            {
                return CutShort(format);
            }

            if (encoded[20] != 0x2F)
            {
                return Invalid(format);
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(encoded[21..25]);
            return new ImageHeader(format, ImageHeaderState.Complete, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            if (encoded.Length < 30)
            {
                return CutShort(format);
            }

            return new ImageHeader(format, ImageHeaderState.Complete, UInt24(encoded[24..27]) + 1, UInt24(encoded[27..30]) + 1);
        }

        return Invalid(format);
    }

    private static ImageHeader Positive(SKEncodedImageFormat format, long width, long height) =>
        width > 0 && height > 0 ? new ImageHeader(format, ImageHeaderState.Complete, width, height) : Invalid(format);

    private static long UInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);
}
