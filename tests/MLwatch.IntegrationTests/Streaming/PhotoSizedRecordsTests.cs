using MLwatch.Cli.Producing;
using MLwatch.Cli.Producing.Pacing;
using MLwatch.IntegrationTests.Support;
using SkiaSharp;
using Xunit.Abstractions;

namespace MLwatch.IntegrationTests.Streaming;

/// <summary>
/// Photo-sized records sent as bytes, as fast as the producer may, through the embedded broker, which keeps only 5 MiB
/// per partition: none may vanish (before pacing, 1,058 of 3,000 small JPEGs and 332 of 3,000 photos were counted).
/// </summary>
public sealed class PhotoSizedRecordsTests(ITestOutputHelper output) : SiloOnTestBroker
{
    [Fact]
    public async Task Three_thousand_200_KB_photos_produced_as_fast_as_possible_are_all_counted()
    {
        var photos = Enumerable.Range(0, 12).Select(seed => PhotoLikeJpeg.Create(seed, 640, 640)).ToArray();
        output.WriteLine($"photo sizes: {photos.Min(p => p.Length) / 1024} to {photos.Max(p => p.Length) / 1024} KiB");
        Assert.All(photos, p => Assert.InRange(p.Length, 150 * 1024, 400 * 1024));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await ProducePacedAsync(new BytesSource(photos), 3000);
        var produced = clock.Elapsed;
        await Eventually.ReachAsync(() => Silo.GetTotalAsync(), total => total >= 3000, "photos counted");
        output.WriteLine($"3000 photos: produced in {produced.TotalSeconds:F1} s, all counted after {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(3000, await Silo.GetTotalAsync());
        Assert.Equal(0, await Silo.GetDeadLetteredAsync());
    }

    [Fact]
    public async Task Records_just_under_the_image_size_limit_are_counted_and_so_are_the_records_after_them()
    {
        // local.json's Inference:MaxImageBytes is 2 MiB, what the embedded broker carries record after record. Random
        // pixels do not compress: an 800 x 800 opaque PNG is about 1.9 MiB.
        var large = RandomPng(800, 800);
        output.WriteLine($"large record: {large.Length / 1048576.0:F2} MiB");
        Assert.InRange(large.Length, 1800 * 1024, 2 * 1024 * 1024);
        var small = PhotoLikeJpeg.Create(1, 64, 64);
        // Every partition gets large records back to back, then small ones after them.
        IReadOnlyList<byte[]> records = [.. Enumerable.Repeat(large, 12), .. Enumerable.Repeat(small, 40)];

        await ProducePacedAsync(new BytesSource(records), records.Count);

        await Eventually.ReachAsync(() => Silo.GetTotalAsync(), total => total >= records.Count, "large records and the ones after them counted");
        Assert.Equal(records.Count, await Silo.GetTotalAsync());
        Assert.Equal(0, await Silo.GetDeadLetteredAsync());
    }

    [Fact]
    public async Task A_record_the_embedded_broker_cannot_keep_is_refused_by_the_producer_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ProducePacedAsync(new BytesSource([new byte[3 * 1024 * 1024]]), 1));

        Assert.Contains("path references", error.Message, StringComparison.Ordinal);
    }

    private async Task ProducePacedAsync(IImageSource source, int count)
    {
        using var pacer = ConsumerLagPacer.Start(Broker.BootstrapServers, Abstractions.Wire.TopicNames.Requests, "mlwatch", TextWriter.Null);
        using var producer = new ImageProducer(Broker.BootstrapServers, Abstractions.Wire.TopicNames.Requests, pacer);
        await producer.ProduceAsync(source, count, rate: 0, progress: null, CancellationToken.None);
    }

    private static byte[] RandomPng(int width, int height)
    {
        var random = new Random(7);
        var pixels = new byte[width * height * 4];
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 0);
        return data.ToArray();
    }

    private sealed class BytesSource(IReadOnlyList<byte[]> images) : IImageSource
    {
        public int Count => images.Count;

        public SourceImage Get(int index) => new($"photo-{index}", images[index % images.Count], null);
    }
}
