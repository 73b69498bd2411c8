using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Shifts;
using MLwatch.Cli.Tests.Support;

namespace MLwatch.Cli.Tests;

public sealed class ShiftedImageSourceTests
{
    private static readonly string[] Abcd = ["A", "B", "C", "D"];

    [Fact]
    public void Prior_yields_only_the_listed_classes_in_equal_turns_cycling_each_class_in_source_order()
    {
        IImageSource inner = InMemorySource.Labelled(40, Abcd);
        var shifted = new ShiftedImageSource(inner, ImageShiftParser.Parse("prior:A,C"));

        var indices = Enumerable.Range(0, 1000).Select(shifted.SourceIndex).ToArray();
        var labels = Enumerable.Range(0, 1000).Select(i => shifted.Get(i).Label).ToArray();

        Assert.Equal(20, shifted.Count);
        Assert.Equal(500, labels.Count(l => l == "A"));
        Assert.Equal(500, labels.Count(l => l == "C"));
        Assert.Equal([0, 2, 4, 6, 8, 10], indices[..6]);
        Assert.Equal(indices[..20], indices[20..40]);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(inner.GetLabel(indices[i]), labels[i]));
    }

    [Theory]
    [InlineData("prior:A=0.5,B=0.3,C=0.2", new[] { "A", "B", "C" }, new[] { 0.5, 0.3, 0.2 })]
    [InlineData("prior:A,B,D", new[] { "A", "B", "D" }, new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 })]
    [InlineData("prior:D=2,A", new[] { "D", "A" }, new[] { 2 / 3.0, 1 / 3.0 })]
    [InlineData("prior:B=0.07,C=0.93", new[] { "B", "C" }, new[] { 0.07, 0.93 })]
    public void Prior_keeps_every_prefix_within_one_image_of_the_requested_proportions(string text, string[] classes, double[] shares)
    {
        var shifted = new ShiftedImageSource(InMemorySource.Labelled(40, Abcd), ImageShiftParser.Parse(text));
        var counts = new int[classes.Length];
        for (var i = 0; i < (2 * PriorSelection.Period) + 1234; i++)
        {
            var c = Array.IndexOf(classes, shifted.GetLabel(i));
            Assert.True(c >= 0, $"position {i} has class {shifted.GetLabel(i)}, not one of {string.Join(',', classes)}");
            counts[c]++;
            for (var k = 0; k < classes.Length; k++)
            {
                Assert.InRange(counts[k] - ((i + 1) * shares[k]), -1.0, 1.0);
            }
        }
    }

    [Fact]
    public void Prior_accepts_class_indices_when_the_source_has_class_names()
    {
        var shifted = new ShiftedImageSource(InMemorySource.Labelled(40, Abcd, Abcd), [new PriorShift("1", "d")]);
        Assert.Equal(["B", "D", "B", "D"], Enumerable.Range(0, 4).Select(shifted.GetLabel));
    }

    [Theory]
    [InlineData("prior:E", false, "prior: 'E' is not a label of the source. Use one of: A, B, C, D.")]
    [InlineData("prior:1", false, "prior: '1' is not a label of the source. Use one of: A, B, C, D.")]
    [InlineData("prior:E", true, "Use one of: A, B, C, D, E or an index 0..4.")]
    [InlineData("prior:7", true, "prior: class index 7 is out of range; the source has classes 0..4.")]
    [InlineData("prior:4", true, "prior: the source has no images of class 'E'.")]
    [InlineData("prior:B,1", true, "prior: class 'B' is named more than once")]
    public void Prior_refuses_classes_the_source_does_not_have(string text, bool withClassNames, string expected)
    {
        var inner = InMemorySource.Labelled(40, Abcd, withClassNames ? [.. Abcd, "E"] : null);
        var exception = Assert.Throws<ArgumentException>(() => new ShiftedImageSource(inner, ImageShiftParser.Parse(text)));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_two_priors() =>
        Assert.Throws<ArgumentException>(() => new ShiftedImageSource(InMemorySource.Labelled(4, Abcd), [new PriorShift("A"), new PriorShift("B")]));

    [Fact]
    public void Pixel_shifts_keep_the_true_label_and_change_the_pixels()
    {
        var inner = InMemorySource.Labelled(8, Abcd);
        var shifted = new ShiftedImageSource(inner, ImageShiftParser.Parse("invert"));
        for (var i = 0; i < 8; i++)
        {
            var image = shifted.Get(i);
            Assert.Equal(inner.Get(i).Label, image.Label);
            Assert.All(RasterImage.Decode(image.Bytes, image.Id).Pixels, p => Assert.Equal(255 - i, p));
        }
    }

    [Fact]
    public void Prior_and_pixel_shifts_combine()
    {
        var shifted = new ShiftedImageSource(InMemorySource.Labelled(8, Abcd), ImageShiftParser.Parse("prior:B+brightness:2"));
        var image = shifted.Get(1);
        Assert.Equal("B", image.Label);
        Assert.All(RasterImage.Decode(image.Bytes, image.Id).Pixels, p => Assert.Equal(10, p)); // second B is image 5
    }

    [Fact]
    public void Noisy_stream_is_reproducible_per_seed_and_independent_of_access_order()
    {
        var inner = InMemorySource.Labelled(4, Abcd);
        var shifts = ImageShiftParser.Parse("noise:0.3");
        var forward = new ShiftedImageSource(inner, shifts, seed: 5);
        var backward = new ShiftedImageSource(inner, shifts, seed: 5);
        var reseeded = new ShiftedImageSource(inner, shifts, seed: 6);

        var expected = Enumerable.Range(0, 10).Select(i => forward.Get(i).Bytes).ToArray();
        var reversed = Enumerable.Range(0, 10).Reverse().Select(i => backward.Get(i).Bytes).Reverse().ToArray();

        Assert.Equal(expected, reversed);
        Assert.NotEqual(expected, Enumerable.Range(0, 10).Select(i => reseeded.Get(i).Bytes).ToArray());
        Assert.NotEqual(expected[0], expected[4]); // the same source image gets fresh noise each cycle
    }

    [Fact]
    public void Ids_are_unique_and_name_the_shift()
    {
        var shifted = new ShiftedImageSource(InMemorySource.Labelled(4, Abcd), ImageShiftParser.Parse("prior:A+rotate:90"));
        var ids = Enumerable.Range(0, 50).Select(i => shifted.Get(i).Id).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal("mem-0~prior:A+rotate:90~0", ids[0]);
        Assert.Equal("prior:A+rotate:90", shifted.Description);
    }

    [Fact]
    public void No_shift_passes_images_through()
    {
        var inner = InMemorySource.Labelled(4, Abcd);
        var shifted = new ShiftedImageSource(inner, []);
        Assert.Equal("none", shifted.Description);
        Assert.Equal(inner.Get(3).Bytes, shifted.Get(3).Bytes);
        Assert.Equal(4, shifted.Count);
    }
}
