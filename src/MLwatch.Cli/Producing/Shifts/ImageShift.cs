namespace MLwatch.Cli.Producing.Shifts;

/// <summary>
/// One deliberate distribution shift of a produced stream: either a change of the class mix (<see cref="PriorShift"/>)
/// or a transform of every image's pixels (<see cref="PixelShift"/>). <see cref="ToString"/> gives the
/// <c>--shift</c> text that parses back to it.
/// </summary>
public abstract record ImageShift
{
    /// <summary>The valid kinds, as shown in help and error messages.</summary>
    public const string Kinds = "prior:<classes>, rotate:<degrees>, noise:<sigma>, invert, blur:<radius>, brightness:<factor>";
}

/// <summary>A shift that transforms pixels and leaves the true label as it is (the image is still of that class).</summary>
public abstract record PixelShift : ImageShift
{
    /// <summary>
    /// Transforms <paramref name="image"/>, which it may modify in place, and returns the result.
    /// <paramref name="random"/> is seeded per image, so a stream is reproducible.
    /// </summary>
    public abstract RasterImage Apply(RasterImage image, Random random);

    /// <summary>Rounds and clamps an intensity to a byte.</summary>
    protected static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 0, 255);
}
