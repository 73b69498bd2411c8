using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Tests.Support;

namespace MLwatch.Grains.Tests.Inference;

public sealed class SendTimeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();

    [Fact]
    public void A_plausible_sent_at_header_is_used()
    {
        var sent = Read(NowMs - 1_000, (RecordHeaders.SentAt, (NowMs - 250).ToString()));

        Assert.Equal(new SendTime(DateTimeOffset.FromUnixTimeMilliseconds(NowMs - 250), null, null), sent);
        Assert.Equal(250f, sent.LatencyMsAt(Now));
    }

    [Fact]
    public void Without_a_header_the_kafka_timestamp_is_used_without_a_warning()
    {
        Assert.Equal(new SendTime(DateTimeOffset.FromUnixTimeMilliseconds(NowMs - 40), null, null), Read(NowMs - 40));
    }

    [Theory]
    [InlineData("99999999999999999", IngestWarningReasons.SentAtInFuture)]
    [InlineData("9223372036854775807", IngestWarningReasons.SentAtInFuture)]
    [InlineData("not a time", IngestWarningReasons.SentAtNotANumber)]
    [InlineData("", IngestWarningReasons.SentAtNotANumber)]
    [InlineData("1.5e12", IngestWarningReasons.SentAtNotANumber)]
    [InlineData("99999999999999999999999", IngestWarningReasons.SentAtNotANumber)]
    [InlineData("-5", IngestWarningReasons.SentAtTooEarly)]
    [InlineData("0", IngestWarningReasons.SentAtTooEarly)]
    public void An_absurd_sent_at_falls_back_to_the_kafka_timestamp_and_is_named(string header, string reason)
    {
        var sent = Read(NowMs - 40, (RecordHeaders.SentAt, header));

        Assert.Equal(new SendTime(DateTimeOffset.FromUnixTimeMilliseconds(NowMs - 40), reason, null), sent);
        Assert.Equal(40f, sent.LatencyMsAt(Now));
    }

    [Fact]
    public void A_sent_at_more_than_a_day_before_the_kafka_timestamp_is_too_early_and_one_within_a_day_is_used()
    {
        var timestamp = NowMs - 1_000;
        var day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

        Assert.Equal(IngestWarningReasons.SentAtTooEarly, Read(timestamp, (RecordHeaders.SentAt, (timestamp - day - 1).ToString())).SentAtProblem);
        Assert.Null(Read(timestamp, (RecordHeaders.SentAt, (timestamp - day).ToString())).SentAtProblem);
    }

    [Fact]
    public void A_sent_at_slightly_ahead_of_the_silo_clock_is_used_with_a_latency_of_zero()
    {
        var sent = Read(NowMs, (RecordHeaders.SentAt, (NowMs + 30_000).ToString()));

        Assert.Null(sent.SentAtProblem);
        Assert.Equal(0f, sent.LatencyMsAt(Now));
    }

    [Theory]
    [InlineData(300_000_000_000_000)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(long.MaxValue)]
    public void An_unusable_kafka_timestamp_without_a_header_leaves_the_latency_unknown(long timestampMs)
    {
        var sent = Read(timestampMs);

        Assert.Equal(new SendTime(null, null, IngestWarningReasons.KafkaTimestampUnusable), sent);
        Assert.Null(sent.LatencyMsAt(Now));
    }

    [Fact]
    public void A_kafka_timestamp_in_the_future_beyond_the_skew_is_unusable()
    {
        Assert.Equal(IngestWarningReasons.KafkaTimestampUnusable, Read(NowMs + 61_000).TimestampProblem);
        Assert.Null(Read(NowMs + 59_000).TimestampProblem);
    }

    [Fact]
    public void Both_fields_absurd_name_both_problems_and_leave_the_latency_unknown()
    {
        var sent = Read(300_000_000_000_000, (RecordHeaders.SentAt, "99999999999999999"));

        Assert.Equal(new SendTime(null, IngestWarningReasons.SentAtInFuture, IngestWarningReasons.KafkaTimestampUnusable), sent);
    }

    [Fact]
    public void A_valid_header_needs_no_kafka_timestamp()
    {
        Assert.Equal(new SendTime(DateTimeOffset.FromUnixTimeMilliseconds(NowMs - 5), null, null), Read(-1, (RecordHeaders.SentAt, (NowMs - 5).ToString())));
    }

    private static SendTime Read(long timestampMs, params (string Key, string Value)[] headers) =>
        SendTime.Of(Records.Image([1], headers) with { TimestampMs = timestampMs }, Now, Skew);
}
