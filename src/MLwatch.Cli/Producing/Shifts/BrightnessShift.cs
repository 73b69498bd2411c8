using System.Globalization;

namespace MLwatch.Cli.Producing.Shifts;

/// <summary><c>brightness:&lt;factor&gt;</c>: every intensity is multiplied by <see cref="Factor"/>, rounded and clamped to 0..255.</summary>
public sealed record BrightnessShift : PixelShift
{
    public BrightnessShift(double factor)
    {
        if (!double.IsFinite(factor) || factor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The brightness factor must be a finite number >= 0.");
        }

        Factor = factor;
    }

    /// <summary>The multiplier: below 1 darkens, above 1 brightens.</summary>
    public double Factor { get; }

    public override RasterImage Apply(RasterImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<byte> table = stackalloc byte[256];
        for (var v = 0; v < 256; v++)
        {
            table[v] = ToByte(v * Factor);
        }

        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += image.Channels)
        {
            for (var c = 0; c < image.ColorChannels; c++)
            {
                pixels[i + c] = table[pixels[i + c]];
            }
        }

        return image;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"brightness:{Factor}");
}
