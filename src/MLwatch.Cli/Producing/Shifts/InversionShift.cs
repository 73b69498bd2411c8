namespace MLwatch.Cli.Producing.Shifts;

/// <summary><c>invert</c>: every intensity v becomes 255 - v (alpha is kept).</summary>
public sealed record InversionShift : PixelShift
{
    public override RasterImage Apply(RasterImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += image.Channels)
        {
            for (var c = 0; c < image.ColorChannels; c++)
            {
                pixels[i + c] = (byte)(255 - pixels[i + c]);
            }
        }

        return image;
    }

    public override string ToString() => "invert";
}
