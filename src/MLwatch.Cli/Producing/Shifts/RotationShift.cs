using System.Globalization;

namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// <c>rotate:&lt;degrees&gt;</c>: rotates the image clockwise (as seen on screen) about its centre, keeping its size;
/// bilinear sampling, and what comes in from outside the image is black (transparent for RGBA). Multiples of 90° are exact.
/// </summary>
public sealed record RotationShift : PixelShift
{
    public RotationShift(double degrees)
    {
        if (!double.IsFinite(degrees))
        {
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "The rotation must be a finite number of degrees.");
        }

        Degrees = degrees;
    }

    /// <summary>Clockwise rotation in degrees.</summary>
    public double Degrees { get; }

    public override RasterImage Apply(RasterImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (sin, cos) = SinCos(Degrees);
        var result = image.CreateBlank();
        var (width, height, channels) = (image.Width, image.Height, image.Channels);
        var (cx, cy) = ((width - 1) / 2.0, (height - 1) / 2.0);
        var source = image.Pixels;
        var target = result.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Inverse mapping: the source point that a clockwise rotation carries onto (x, y).
                var (dx, dy) = (x - cx, y - cy);
                var sx = (dx * cos) + (dy * sin) + cx;
                var sy = (-dx * sin) + (dy * cos) + cy;
                var (x0, y0) = ((int)Math.Floor(sx), (int)Math.Floor(sy));
                var (fx, fy) = (sx - x0, sy - y0);
                for (var c = 0; c < channels; c++)
                {
                    var top = ((1 - fx) * Sample(x0, y0, c)) + (fx * Sample(x0 + 1, y0, c));
                    var bottom = ((1 - fx) * Sample(x0, y0 + 1, c)) + (fx * Sample(x0 + 1, y0 + 1, c));
                    target[(((y * width) + x) * channels) + c] = ToByte(((1 - fy) * top) + (fy * bottom));
                }
            }
        }

        return result;

        double Sample(int x, int y, int c) =>
            x < 0 || y < 0 || x >= width || y >= height ? 0 : source[(((y * width) + x) * channels) + c];
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"rotate:{Degrees}");

    /// <summary>Sine and cosine, exact for multiples of 90° so quarter turns move pixels without interpolation.</summary>
    private static (double Sin, double Cos) SinCos(double degrees)
    {
        var normalized = ((degrees % 360) + 360) % 360;
        return normalized switch
        {
            0 => (0, 1),
            90 => (1, 0),
            180 => (0, -1),
            270 => (-1, 0),
            _ => Math.SinCos(normalized * Math.PI / 180),
        };
    }
}
