using System.Globalization;
using MLwatch.Abstractions.Wire;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// When a record was sent, for its end-to-end latency, read from fields any producer may set to anything: the
/// mlwatch-sent-at header when it is a plausible time, else the Kafka timestamp when that is, else unknown (the record
/// is counted without a latency rather than distorting a label's latency statistics). Each problem met on the way is
/// named by a reason from <see cref="IngestWarningReasons"/>, to be counted.
/// </summary>
/// <param name="At">When the record was sent; null when neither field is a usable time.</param>
/// <param name="SentAtProblem">What was wrong with mlwatch-sent-at, when it was present and not used.</param>
/// <param name="TimestampProblem">What was wrong with the Kafka timestamp, when it was needed and not usable.</param>
public readonly record struct SendTime(DateTimeOffset? At, string? SentAtProblem, string? TimestampProblem)
{
    /// <summary>How long before the Kafka timestamp mlwatch-sent-at may lie (time spent in a producer's queue or retries): one day.</summary>
    public static readonly TimeSpan MaxSentBeforeTimestamp = TimeSpan.FromDays(1);

    /// <summary>Reads <paramref name="record"/>'s send time as of <paramref name="now"/>, allowing clocks to differ by <paramref name="maxClockSkew"/>.</summary>
    public static SendTime Of(KafkaRecord record, DateTimeOffset now, TimeSpan maxClockSkew)
    {
        var latestMs = now.ToUnixTimeMilliseconds() + (long)maxClockSkew.TotalMilliseconds;
        var timestamp = record.Timestamp is { } kafka && kafka.ToUnixTimeMilliseconds() <= latestMs ? kafka : (DateTimeOffset?)null;
        string? sentAtProblem = null;
        if (record.GetHeader(RecordHeaders.SentAt) is { } header)
        {
            if (!long.TryParse(header.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            {
                sentAtProblem = IngestWarningReasons.SentAtNotANumber;
            }
            else if (ms > latestMs)
            {
                sentAtProblem = IngestWarningReasons.SentAtInFuture;
            }
            else if (ms <= 0 || (timestamp is { } stamped && ms < (stamped - MaxSentBeforeTimestamp).ToUnixTimeMilliseconds()))
            {
                sentAtProblem = IngestWarningReasons.SentAtTooEarly;
            }
            else
            {
                return new SendTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), null, null);
            }
        }

        return timestamp is { } fallback
            ? new SendTime(fallback, sentAtProblem, null)
            : new SendTime(null, sentAtProblem, IngestWarningReasons.KafkaTimestampUnusable);
    }

    /// <summary>Milliseconds from sending to <paramref name="now"/> (never negative: clocks may differ by the allowed skew); null when unknown.</summary>
    public float? LatencyMsAt(DateTimeOffset now) => At is { } at ? (float)Math.Max(0, (now - at).TotalMilliseconds) : null;
}
