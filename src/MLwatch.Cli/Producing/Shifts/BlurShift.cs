using System.Globalization;

namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// <c>blur:&lt;radius&gt;</c>: Gaussian blur whose standard deviation is <see cref="Radius"/> pixels (the sigma SkiaSharp's
/// blur filter takes), as a separable kernel truncated at 3 sigma; edge pixels are repeated beyond the border,
/// so a uniform image stays uniform.
/// </summary>
public sealed record BlurShift : PixelShift
{
    /// <summary>Largest accepted radius: beyond it a 28x28 image is a flat smear anyway, and kernels grow large.</summary>
    public const double MaxRadius = 100;

    public BlurShift(double radius)
    {
        if (!double.IsFinite(radius) || radius <= 0 || radius > MaxRadius)
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, $"The blur radius must be > 0 and <= {MaxRadius} pixels.");
        }

        Radius = radius;
    }

    /// <summary>Gaussian standard deviation in pixels.</summary>
    public double Radius { get; }

    public override RasterImage Apply(RasterImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        var kernel = Kernel(Radius);
        var half = kernel.Length / 2;
        var (width, height, channels) = (image.Width, image.Height, image.Channels);
        var source = image.Pixels;
        var horizontal = new double[source.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0.0;
                    for (var k = -half; k <= half; k++)
                    {
                        sum += kernel[k + half] * source[(((y * width) + Math.Clamp(x + k, 0, width - 1)) * channels) + c];
                    }

                    horizontal[(((y * width) + x) * channels) + c] = sum;
                }
            }
        }

        var result = image.CreateBlank();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0.0;
                    for (var k = -half; k <= half; k++)
                    {
                        sum += kernel[k + half] * horizontal[(((Math.Clamp(y + k, 0, height - 1) * width) + x) * channels) + c];
                    }

                    result.Pixels[(((y * width) + x) * channels) + c] = ToByte(sum);
                }
            }
        }

        return result;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"blur:{Radius}");

    /// <summary>Normalized 1-D Gaussian weights, half-width ceil(3 sigma).</summary>
    internal static double[] Kernel(double sigma)
    {
        var half = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[(2 * half) + 1];
        for (var k = -half; k <= half; k++)
        {
            kernel[k + half] = Math.Exp(-(k * k) / (2 * sigma * sigma));
        }

        var total = kernel.Sum();
        for (var k = 0; k < kernel.Length; k++)
        {
            kernel[k] /= total;
        }

        return kernel;
    }
}
