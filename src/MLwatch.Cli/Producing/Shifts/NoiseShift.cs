using System.Globalization;

namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// <c>noise:&lt;sigma&gt;</c>: adds independent Gaussian noise with standard deviation <see cref="Sigma"/> (in units of
/// full intensity, so 0.1 = 25.5 levels) to every intensity, then rounds and clamps to 0..255.
/// </summary>
public sealed record NoiseShift : PixelShift
{
    public NoiseShift(double sigma)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise sigma must be a finite number > 0.");
        }

        Sigma = sigma;
    }

    /// <summary>Standard deviation as a fraction of full intensity (255).</summary>
    public double Sigma { get; }

    public override RasterImage Apply(RasterImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        var scale = Sigma * 255;
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += image.Channels)
        {
            for (var c = 0; c < image.ColorChannels; c++)
            {
                pixels[i + c] = ToByte(pixels[i + c] + (scale * StandardNormal(random)));
            }
        }

        return image;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"noise:{Sigma}");

    /// <summary>Box-Muller; one draw per call keeps the sequence simple to reason about.</summary>
    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
