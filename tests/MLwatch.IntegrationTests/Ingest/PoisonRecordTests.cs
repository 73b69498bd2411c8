using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Checkpointing;
using MLwatch.IntegrationTests.Support;
using MLwatch.Streaming.Kafka;
using static MLwatch.IntegrationTests.Ingest.IngestMessages;

namespace MLwatch.IntegrationTests.Ingest;

/// <summary>
/// A consumer that throws on one record of a delivery (a bug, injected through <see cref="IDeliveryFaultInjection"/>):
/// after its retries the delivery is halved until that record stands alone, which is dead-lettered as internal-error,
/// and every other record of the delivery is counted exactly once; the partition moves on.
/// </summary>
public sealed partial class PoisonRecordTests : IAsyncLifetime
{
    private const string PoisonKey = "poison";

    private readonly TestBroker _broker = new();
    private readonly CapturedLogs _logs = new();
    private SiloUnderTest _silo = null!;
    private long _poisonOffset;

    public async Task InitializeAsync()
    {
        // Produced before the silo starts, so the receiver finds a backlog and delivers it in batches of many records.
        await _broker.ProduceValidAsync("before", 40);
        _poisonOffset = (await _broker.ProduceToAsync(Partition0, Image(40, PoisonKey))).Offset.Value;
        await _broker.ProduceValidAsync("after", 40);
        _silo = await SiloUnderTest.StartAsync(
            _broker.BootstrapServers,
            configure: builder =>
            {
                builder.Services.AddSingleton<IDeliveryFaultInjection>(new FailOnKey(PoisonKey));
                builder.Logging.AddProvider(_logs);
            });
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task Exactly_the_failing_record_is_dead_lettered_as_internal_error_and_the_rest_of_its_delivery_is_counted_once()
    {
        await Eventually.ReachAsync(
            async () => (await _silo.GetTotalAsync(), await _silo.GetDeadLetteredAsync()),
            counts => counts.Item1 >= 80 && counts.Item2 >= 1,
            "the delivery around the poison record counted and the poison record dead-lettered");

        Assert.Equal(80, await _silo.GetTotalAsync());
        Assert.Equal(new Dictionary<string, long> { ["internal-error"] = 1 }, await DeadLettersAsync());

        var letter = Assert.Single(_broker.ReadAll(TopicNames.DeadLetter, 1)).Message;
        Assert.Equal(PoisonKey, System.Text.Encoding.UTF8.GetString(letter.Key!));
        Assert.Equal(Image(40, PoisonKey).Value, letter.Value);
        Assert.Equal("internal-error", letter.Headers.Header(RecordHeaders.ErrorCode));
        Assert.Equal("InvalidOperationException: injected fault for poison", letter.Headers.Header(RecordHeaders.Error));
        Assert.Equal($"{TopicNames.Requests}/0/{_poisonOffset}", letter.Headers.Header(RecordHeaders.Origin));

        // It was one record of a delivery of many, and its stack was logged once.
        var isolating = _logs.Lines.Select(line => IsolatingLine().Match(line)).Single(match => match.Success);
        var (first, last) = (long.Parse(isolating.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(isolating.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(first < _poisonOffset && _poisonOffset < last, $"the failing delivery was {first}..{last}, the poison record {_poisonOffset}");
        Assert.Single(_logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) && line.Contains("dead-lettered as internal-error", StringComparison.Ordinal) && line.Contains("   at ", StringComparison.Ordinal));
    }

    private async Task<Dictionary<string, long>> DeadLettersAsync() =>
        (await _silo.GetJsonAsync("api/deadletters")).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    [GeneratedRegex(@"partition 0 offsets (\d+)\.\.(\d+) failed \d+ times.*splitting it")]
    private static partial Regex IsolatingLine();

    private sealed class FailOnKey(string key) : IDeliveryFaultInjection
    {
        public void BeforeConsume(KafkaRecord record)
        {
            if (record.KeyText == key)
            {
                throw new InvalidOperationException($"injected fault for {key}");
            }
        }
    }
}
