using System.Text;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// One Kafka record as delivered on an Orleans stream: its coordinates, key, value and headers, exactly as they arrived.
/// Every field but the coordinates is untrusted (any producer may set any bytes and any timestamp), so nothing here is
/// converted in a way that could throw: the raw key bytes and the raw timestamp are kept, and readers interpret them.
/// </summary>
/// <param name="Topic">The topic read.</param>
/// <param name="Partition">The partition read.</param>
/// <param name="Offset">The record's offset; for an expired range (see <paramref name="ExpiredFromOffset"/>) the last offset lost.</param>
/// <param name="Key">The key's bytes, as produced (null when the record has none).</param>
/// <param name="Value">The value's bytes (empty when null).</param>
/// <param name="Headers">The headers, in order.</param>
/// <param name="TimestampMs">The Kafka timestamp, Unix milliseconds, as the producer or broker set it (may be -1, or any value).</param>
/// <param name="ExpiredFromOffset">
/// Set only on a notice the receiver inserts where records were deleted (by retention, or the embedded broker's size
/// limit) before they were read: offsets <paramref name="ExpiredFromOffset"/>..<paramref name="Offset"/> are gone. Such
/// a notice carries no key, value or headers, and consumers dead-letter it as <c>records-expired</c>.
/// </param>
[GenerateSerializer, Immutable, Alias("mlwatch.kafka-record")]
public sealed record KafkaRecord(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] byte[]? Key,
    [property: Id(4)] byte[] Value,
    [property: Id(5)] KafkaHeader[] Headers,
    [property: Id(6)] long TimestampMs,
    [property: Id(7)] long? ExpiredFromOffset = null)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // DateTimeOffset.MaxValue in Unix milliseconds: later timestamps cannot be represented.
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>The key as UTF-8 text; null when there is none, it is empty, or its bytes are not valid UTF-8.</summary>
    public string? KeyText => Key is { Length: > 0 } bytes && TryDecode(bytes, out var text) ? text : null;

    /// <summary>
    /// The record's identity: its key as UTF-8 text; "base64:…" of the key bytes when they are not valid UTF-8; or
    /// "{topic}/{partition}/{offset}" when it has no key.
    /// </summary>
    public string RequestId => Key switch
    {
        null or { Length: 0 } => Coordinates,
        _ when KeyText is { } text => text,
        _ => "base64:" + Convert.ToBase64String(Key),
    };

    /// <summary>"{topic}/{partition}/{offset}": where the record was read.</summary>
    public string Coordinates => $"{Topic}/{Partition}/{Offset}";

    /// <summary>The Kafka timestamp, or null when it is not set (≤ 0) or cannot be a point in time (after year 9999).</summary>
    public DateTimeOffset? Timestamp => TimestampMs is > 0 and <= MaxUnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs) : null;

    /// <summary>Whether this is a notice of records deleted before they were read, not a record (see <see cref="ExpiredFromOffset"/>).</summary>
    public bool IsExpiredRange => ExpiredFromOffset is not null;

    /// <summary>How many records the notice stands for: 1 for a real record.</summary>
    public long RecordCount => ExpiredFromOffset is { } from ? Offset - from + 1 : 1;

    /// <summary>The last value of header <paramref name="name"/> as UTF-8 text (invalid bytes replaced), or null when absent.</summary>
    public string? GetHeader(string name)
    {
        for (var i = Headers.Length - 1; i >= 0; i--)
        {
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return Encoding.UTF8.GetString(Headers[i].Value);
            }
        }

        return null;
    }

    /// <summary>A notice that offsets <paramref name="fromOffset"/>..<paramref name="toOffset"/> of a partition were deleted before they were read.</summary>
    public static KafkaRecord Expired(string topic, int partition, long fromOffset, long toOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(toOffset, fromOffset);
        return new KafkaRecord(topic, partition, toOffset, null, [], [], -1, fromOffset);
    }

    private static bool TryDecode(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
