using MLwatch.Cli.Producing.Shifts;

namespace MLwatch.Cli.Tests;

public sealed class ImageShiftParserTests
{
    [Theory]
    [InlineData("rotate:30", 30)]
    [InlineData("rotate:-45.5", -45.5)]
    [InlineData("ROTATE: 90 ", 90)]
    public void Parses_rotation(string text, double degrees) =>
        Assert.Equal(new RotationShift(degrees), Assert.Single(ImageShiftParser.Parse(text)));

    [Fact]
    public void Parses_each_pixel_kind()
    {
        Assert.Equal(new NoiseShift(0.2), Assert.Single(ImageShiftParser.Parse("noise:0.2")));
        Assert.Equal(new InversionShift(), Assert.Single(ImageShiftParser.Parse("invert")));
        Assert.Equal(new BlurShift(1.5), Assert.Single(ImageShiftParser.Parse("blur:1.5")));
        Assert.Equal(new BrightnessShift(0), Assert.Single(ImageShiftParser.Parse("brightness:0")));
        Assert.Equal(new BrightnessShift(2), Assert.Single(ImageShiftParser.Parse("brightness:2")));
    }

    [Fact]
    public void Parses_prior_by_index_and_name_with_default_weights()
    {
        Assert.Equal(new PriorShift("0", "1", "2"), Assert.Single(ImageShiftParser.Parse("prior:0,1,2")));
        Assert.Equal(new PriorShift("Trouser", "Ankle boot"), Assert.Single(ImageShiftParser.Parse("prior: Trouser , Ankle boot")));
    }

    [Fact]
    public void Parses_prior_weights()
    {
        var prior = Assert.IsType<PriorShift>(Assert.Single(ImageShiftParser.Parse("prior:Bag=0.5,Trouser=0.3,Coat")));
        Assert.Equal([new PriorClass("Bag", 0.5), new PriorClass("Trouser", 0.3), new PriorClass("Coat", 1)], prior.Classes);
    }

    [Fact]
    public void Parses_combinations_in_order()
    {
        var shifts = ImageShiftParser.Parse("prior:Bag+rotate:30+noise:0.1+invert");
        Assert.Equal<ImageShift>([new PriorShift("Bag"), new RotationShift(30), new NoiseShift(0.1), new InversionShift()], shifts);
    }

    [Fact]
    public void None_is_no_shift() => Assert.Empty(ImageShiftParser.Parse(" None "));

    [Theory]
    [InlineData("rotate:30")]
    [InlineData("noise:0.25")]
    [InlineData("invert")]
    [InlineData("blur:2")]
    [InlineData("brightness:0.5")]
    [InlineData("prior:0,1,2")]
    [InlineData("prior:Bag=0.5,T-shirt/top=0.25,Coat")]
    [InlineData("prior:Bag+rotate:-90+noise:0.1+blur:0.75+brightness:1.5+invert")]
    public void Format_round_trips(string text)
    {
        var shifts = ImageShiftParser.Parse(text);
        Assert.Equal(text, ImageShiftParser.Format(shifts));
        Assert.Equal(shifts, ImageShiftParser.Parse(ImageShiftParser.Format(shifts)));
    }

    [Fact]
    public void Formats_no_shift_as_none() => Assert.Equal("none", ImageShiftParser.Format([]));

    [Theory]
    [InlineData("rotate:abc", "Invalid shift 'rotate:abc': rotate needs degrees, e.g. rotate:30.")]
    [InlineData("rotate", "Invalid shift 'rotate': rotate needs degrees, e.g. rotate:30.")]
    [InlineData("rotate:", "Invalid shift 'rotate:': rotate needs degrees, e.g. rotate:30.")]
    [InlineData("rotate:NaN", "rotate needs degrees")]
    [InlineData("rotate:Infinity", "rotate needs degrees")]
    [InlineData("rotate:30,5", "rotate needs degrees")]
    [InlineData("noise", "Invalid shift 'noise': noise needs a standard deviation > 0")]
    [InlineData("noise:0", "noise needs a standard deviation > 0")]
    [InlineData("noise:-0.1", "noise needs a standard deviation > 0")]
    [InlineData("noise:x", "e.g. noise:0.1")]
    [InlineData("blur", "blur needs a radius in pixels")]
    [InlineData("blur:0", "blur needs a radius in pixels")]
    [InlineData("blur:101", "<= 100")]
    [InlineData("brightness", "brightness needs a factor >= 0")]
    [InlineData("brightness:-1", "brightness needs a factor >= 0")]
    [InlineData("invert:1", "Invalid shift 'invert:1': invert takes no argument")]
    [InlineData("prior", "Invalid shift 'prior': prior needs classes by name or index")]
    [InlineData("prior:", "prior needs classes by name or index")]
    [InlineData("prior:Bag,,Coat", "an empty class name")]
    [InlineData("prior:Bag=abc", "the weight of 'Bag' must be a number > 0, e.g. Bag=0.5")]
    [InlineData("prior:Bag=0", "the weight of 'Bag' must be a number > 0")]
    [InlineData("prior:Bag=-1", "the weight of 'Bag' must be a number > 0")]
    [InlineData("prior:=0.5", "an empty class name")]
    [InlineData("prior:Bag,bag", "class 'bag' is listed twice")]
    [InlineData("prior:Bag+prior:Coat", "more than one prior shift")]
    [InlineData("rot:30", "Invalid shift 'rot:30': unknown kind 'rot'; valid kinds: prior:<classes>, rotate:<degrees>, noise:<sigma>, invert, blur:<radius>, brightness:<factor>.")]
    [InlineData("rotate:30++invert", "'rotate:30++invert' has an empty shift between '+' signs")]
    [InlineData("rotate:30+", "has an empty shift")]
    [InlineData("", "The shift is empty. Valid kinds: prior:<classes>")]
    [InlineData("  ", "The shift is empty")]
    public void Rejects_bad_text_naming_the_bad_part(string text, string expected)
    {
        var exception = Assert.Throws<FormatException>(() => ImageShiftParser.Parse(text));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shift_constructors_refuse_values_the_parser_refuses()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RotationShift(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseShift(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlurShift(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrightnessShift(-0.5));
        Assert.Throws<ArgumentException>(() => new PriorShift(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => new PriorShift([new PriorClass("Bag", 0)]));
        Assert.Throws<ArgumentException>(() => new PriorShift("Bag", "BAG"));
    }
}
