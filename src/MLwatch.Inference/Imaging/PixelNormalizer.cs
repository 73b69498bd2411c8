using MLwatch.Inference.Models;

namespace MLwatch.Inference.Imaging;

/// <summary>Turns 8-bit gray or RGBA pixels into the model's normalized float tensor layout.</summary>
/// <remarks>
/// Normalization is a per-channel 256-entry lookup table holding <c>(p / scale - mean[c]) / std[c]</c>
/// evaluated in single precision, so results are bit-identical to that formula.
/// Grayscale conversion uses ITU-R 601-2 luma with the integer weights PIL uses (exact for gray input).
/// </remarks>
internal sealed class PixelNormalizer
{
    private readonly float[] _table;
    private readonly int _channels;
    private readonly int _pixelCount;
    private readonly bool _channelsLast;

    public PixelNormalizer(ModelConfig config)
    {
        _channels = config.Channels;
        _pixelCount = config.Width * config.Height;
        _channelsLast = config.IsChannelsLast;
        _table = new float[_channels * 256];
        for (var c = 0; c < _channels; c++)
        {
            var mean = config.Mean[c];
            var std = config.Std[c];
            for (var p = 0; p < 256; p++)
            {
                _table[(c * 256) + p] = ((p / config.Scale) - mean) / std;
            }
        }
    }

    /// <summary>Normalized value of 8-bit <paramref name="pixel"/> in <paramref name="channel"/>.</summary>
    public float this[int channel, byte pixel] => _table[(channel * 256) + pixel];

    /// <summary>Integer ITU-R 601-2 luma; weights sum to 65536, so gray input maps to itself.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)(((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16);

    /// <summary>
    /// Writes one image into <paramref name="destination"/>. <paramref name="pixels"/> holds width*height
    /// pixels of <paramref name="bytesPerPixel"/> bytes: 1 (Gray8) or 4 (RGBA8888, alpha ignored).
    /// </summary>
    public void Normalize(ReadOnlySpan<byte> pixels, int bytesPerPixel, Span<float> destination)
    {
        var n = _pixelCount;
        if (pixels.Length < n * bytesPerPixel)
        {
            throw new ArgumentException($"Expected {n * bytesPerPixel} pixel bytes, got {pixels.Length}.", nameof(pixels));
        }

        if (destination.Length < n * _channels)
        {
            throw new ArgumentException($"Destination needs {n * _channels} floats, has {destination.Length}.", nameof(destination));
        }

        ReadOnlySpan<float> table = _table;
        if (_channels == 1)
        {
            var dst = destination[..n];
            if (bytesPerPixel == 1)
            {
                var src = pixels[..n];
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = table[src[i]];
                }
            }
            else
            {
                for (var i = 0; i < dst.Length; i++)
                {
                    var o = i * 4;
                    dst[i] = table[Luma(pixels[o], pixels[o + 1], pixels[o + 2])];
                }
            }

            return;
        }

        var red = table[..256];
        var green = table.Slice(256, 256);
        var blue = table.Slice(512, 256);
        if (_channelsLast)
        {
            for (var i = 0; i < n; i++)
            {
                var o = i * bytesPerPixel;
                var (r, g, b) = bytesPerPixel == 1 ? (pixels[o], pixels[o], pixels[o]) : (pixels[o], pixels[o + 1], pixels[o + 2]);
                var d = i * 3;
                destination[d] = red[r];
                destination[d + 1] = green[g];
                destination[d + 2] = blue[b];
            }
        }
        else
        {
            var rPlane = destination[..n];
            var gPlane = destination.Slice(n, n);
            var bPlane = destination.Slice(2 * n, n);
            for (var i = 0; i < n; i++)
            {
                var o = i * bytesPerPixel;
                var (r, g, b) = bytesPerPixel == 1 ? (pixels[o], pixels[o], pixels[o]) : (pixels[o], pixels[o + 1], pixels[o + 2]);
                rPlane[i] = red[r];
                gPlane[i] = green[g];
                bPlane[i] = blue[b];
            }
        }
    }
}
