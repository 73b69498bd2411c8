using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Shifts;

namespace MLwatch.Cli.Tests;

public sealed class PixelShiftTests
{
    private static readonly Random Unused = new(0);

    private static readonly byte[] Square3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void Invert_maps_each_intensity_to_255_minus_it()
    {
        var image = RasterImage.Gray(4, 1, [0, 1, 128, 255]);
        Assert.Equal([255, 254, 127, 0], new InversionShift().Apply(image, Unused).Pixels);
    }

    [Fact]
    public void Invert_keeps_alpha_of_rgba()
    {
        var image = new RasterImage(1, 1, 4, [10, 20, 30, 40]);
        Assert.Equal([245, 235, 225, 40], new InversionShift().Apply(image, Unused).Pixels);
    }

    [Theory]
    [InlineData(2.0, new byte[] { 0, 200, 255, 255, 255 })]
    [InlineData(0.5, new byte[] { 0, 50, 64, 100, 128 })]
    [InlineData(0.3, new byte[] { 0, 30, 38, 60, 77 })]
    [InlineData(0.0, new byte[] { 0, 0, 0, 0, 0 })]
    [InlineData(1.0, new byte[] { 0, 100, 128, 200, 255 })]
    public void Brightness_multiplies_rounds_and_clamps(double factor, byte[] expected)
    {
        var image = RasterImage.Gray(5, 1, [0, 100, 128, 200, 255]);
        Assert.Equal(expected, new BrightnessShift(factor).Apply(image, Unused).Pixels);
    }

    [Fact]
    public void Brightness_keeps_alpha_of_rgba()
    {
        var image = new RasterImage(1, 1, 4, [10, 100, 200, 100]);
        Assert.Equal([20, 200, 255, 100], new BrightnessShift(2).Apply(image, Unused).Pixels);
    }

    [Theory]
    [InlineData(90, new byte[] { 7, 4, 1, 8, 5, 2, 9, 6, 3 })]
    [InlineData(180, new byte[] { 9, 8, 7, 6, 5, 4, 3, 2, 1 })]
    [InlineData(270, new byte[] { 3, 6, 9, 2, 5, 8, 1, 4, 7 })]
    [InlineData(-90, new byte[] { 3, 6, 9, 2, 5, 8, 1, 4, 7 })]
    [InlineData(450, new byte[] { 7, 4, 1, 8, 5, 2, 9, 6, 3 })]
    [InlineData(0, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(360, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public void Rotate_quarter_turns_clockwise_move_pixels_exactly(double degrees, byte[] expected) =>
        Assert.Equal(expected, new RotationShift(degrees).Apply(RasterImage.Gray(3, 3, Square3), Unused).Pixels);

    [Fact]
    public void Rotate_moves_whole_rgba_pixels()
    {
        // 2x1 pixels: red | green. Half a turn swaps them.
        var image = new RasterImage(2, 1, 4, [255, 0, 0, 255, 0, 255, 0, 255]);
        Assert.Equal([0, 255, 0, 255, 255, 0, 0, 255], new RotationShift(180).Apply(image, Unused).Pixels);
    }

    [Fact]
    public void Rotate_by_an_odd_angle_keeps_the_centre_and_fills_corners_with_black()
    {
        var image = RasterImage.Gray(9, 9, Enumerable.Repeat((byte)200, 81).ToArray());
        var rotated = new RotationShift(30).Apply(image, Unused);
        Assert.Equal(200, rotated.Pixels[(4 * 9) + 4]);
        Assert.Equal(0, rotated.Pixels[0]);
        Assert.Equal(0, rotated.Pixels[80]);
    }

    [Fact]
    public void Rotate_interpolates_bilinearly()
    {
        // 2x2 [100 0 / 200 0], 45° clockwise about (0.5, 0.5), inverse-mapped with s = cos = sqrt(1/2):
        // output (0,0) samples (-0.2071, 0.5): 0.7929 * (100 + 200) / 2 = 118.93 (x = -1 is outside, black);
        // output (1,0) samples (0.5, -0.2071): 0.7929 * (100 + 0) / 2 = 39.64 (row -1 is outside).
        var image = RasterImage.Gray(2, 2, [100, 0, 200, 0]);
        var rotated = new RotationShift(45).Apply(image, Unused);
        Assert.Equal(119, rotated.Pixels[0]);
        Assert.Equal(40, rotated.Pixels[1]);
    }

    [Fact]
    public void Blur_keeps_a_uniform_image_uniform()
    {
        var image = RasterImage.Gray(7, 7, Enumerable.Repeat((byte)137, 49).ToArray());
        Assert.All(new BlurShift(2).Apply(image, Unused).Pixels, p => Assert.Equal(137, p));
    }

    [Fact]
    public void Blur_spreads_a_point_by_the_gaussian_weights()
    {
        // sigma 1: weights exp(-k^2/2) for k = -3..3, normalized by 2.505948: w0 = 0.399050, w1 = 0.242036.
        var pixels = new byte[81];
        pixels[40] = 255;
        var blurred = new BlurShift(1).Apply(RasterImage.Gray(9, 9, pixels), Unused).Pixels;
        Assert.Equal(41, blurred[40]); // 255 * w0 * w0 = 40.61
        Assert.Equal(25, blurred[41]); // 255 * w0 * w1 = 24.63
        Assert.Equal(25, blurred[31]);
        Assert.Equal(15, blurred[32]); // 255 * w1 * w1 = 14.94
        Assert.Equal(0, blurred[0]);
    }

    [Fact]
    public void Blur_preserves_mean_intensity_away_from_the_border()
    {
        var pixels = new byte[21 * 21];
        foreach (var (x, y) in new[] { (9, 9), (10, 9), (11, 10), (10, 11), (9, 11) })
        {
            pixels[(y * 21) + x] = 250;
        }

        var blurred = new BlurShift(1.5).Apply(RasterImage.Gray(21, 21, pixels), Unused).Pixels;
        Assert.Equal(pixels.Average(p => p), blurred.Average(p => p), 0.5);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(3)]
    public void Blur_kernel_is_normalized_and_symmetric(double sigma)
    {
        var kernel = BlurShift.Kernel(sigma);
        Assert.Equal(1.0, kernel.Sum(), 1e-12);
        Assert.Equal(kernel, kernel.Reverse());
        Assert.Equal((2 * (int)Math.Ceiling(3 * sigma)) + 1, kernel.Length);
    }

    [Fact]
    public void Noise_with_the_same_seed_is_reproducible()
    {
        var first = new NoiseShift(0.2).Apply(MidGray(100, 100), new Random(42)).Pixels;
        var again = new NoiseShift(0.2).Apply(MidGray(100, 100), new Random(42)).Pixels;
        var other = new NoiseShift(0.2).Apply(MidGray(100, 100), new Random(43)).Pixels;
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.15)]
    public void Noise_has_the_requested_standard_deviation(double sigma)
    {
        // 10,000 pixels at 128; sigma <= 0.15 (38 levels) leaves clamping negligible. Standard error of the std is ~0.7%.
        var noisy = new NoiseShift(sigma).Apply(MidGray(100, 100), new Random(7)).Pixels;
        var deltas = noisy.Select(p => p - 128.0).ToArray();
        var mean = deltas.Average();
        var std = Math.Sqrt(deltas.Sum(d => (d - mean) * (d - mean)) / (deltas.Length - 1));
        Assert.InRange(mean, -1.0, 1.0);
        Assert.InRange(std / 255, sigma * 0.96, sigma * 1.04);
    }

    [Fact]
    public void Noise_clamps_to_the_byte_range()
    {
        var noisy = new NoiseShift(0.5).Apply(RasterImage.Gray(100, 100, new byte[10_000]), new Random(1)).Pixels;
        Assert.Contains((byte)0, noisy);
        Assert.Contains((byte)255, noisy);
        Assert.InRange(noisy.Count(p => p == 0), 4_500, 5_500); // half of the draws are negative
    }

    private static RasterImage MidGray(int width, int height) => RasterImage.Gray(width, height, Enumerable.Repeat((byte)128, width * height).ToArray());
}
