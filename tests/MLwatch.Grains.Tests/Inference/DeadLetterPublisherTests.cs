using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Wire;
using MLwatch.Grains.Inference;
using MLwatch.Grains.Tests.Support;
using MLwatch.Inference.Imaging;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Tests.Inference;

/// <summary>What a dead letter carries, without a broker (the producer is created only when something is published).</summary>
public sealed class DeadLetterPublisherTests
{
    private readonly DeadLetterPublisher _publisher = new(Options.Create(new IngestOptions()), null!, null!, null!, null!, null!, null!);

    [Fact]
    public void A_key_that_is_not_utf8_is_kept_byte_for_byte()
    {
        byte[] key = [0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x80];
        var record = Records.Image([1, 2, 3], (RecordHeaders.Label, "Bag")) with { Key = key };

        var letter = _publisher.ToMessage(record, new ImageRejection(ImageRejectionReasons.Undecodable, "not an image"));

        Assert.Equal(key, letter.Key);
        Assert.Equal([1, 2, 3], letter.Value);
        Assert.Equal("Bag", Header(letter, RecordHeaders.Label));
        Assert.Equal("undecodable", Header(letter, RecordHeaders.ErrorCode));
        Assert.Equal("mlwatch.requests/0/42", Header(letter, RecordHeaders.Origin));
    }

    [Fact]
    public void A_record_without_a_key_is_keyed_by_its_coordinates()
    {
        var letter = _publisher.ToMessage(Records.Image([1]) with { Key = null }, new ImageRejection(ImageRejectionReasons.Empty, "empty"));

        Assert.Equal("mlwatch.requests/0/42", Encoding.UTF8.GetString(letter.Key!));
    }

    [Fact]
    public void An_internal_error_dead_letter_carries_the_exception_type_and_message_with_the_original_record()
    {
        var record = Records.Image([9, 9], (RecordHeaders.SentAt, "1"));

        var letter = _publisher.ToMessage(record, new ImageRejection(IngestRejectionReasons.InternalError, "InvalidOperationException: boom"));

        Assert.Equal("request-1"u8.ToArray(), letter.Key);
        Assert.Equal([9, 9], letter.Value);
        Assert.Equal("InvalidOperationException: boom", Header(letter, RecordHeaders.Error));
        Assert.Equal("internal-error", Header(letter, RecordHeaders.ErrorCode));
        Assert.Equal("1", Header(letter, RecordHeaders.SentAt));
    }

    [Fact]
    public void An_expired_range_is_one_empty_dead_letter_keyed_and_originating_from_the_range()
    {
        var notice = KafkaRecord.Expired("mlwatch.requests", 2, 0, 524);

        var letter = _publisher.ToMessage(notice, ExpiredRecords.Rejection(notice));

        Assert.Equal("mlwatch.requests/2/0-524", Encoding.UTF8.GetString(letter.Key!));
        Assert.Empty(letter.Value!);
        Assert.Equal("records-expired", Header(letter, RecordHeaders.ErrorCode));
        Assert.Equal("mlwatch.requests/2/0-524", Header(letter, RecordHeaders.Origin));
        var error = Header(letter, RecordHeaders.Error)!;
        Assert.Contains("525 record(s) of topic mlwatch.requests partition 2, offsets 0..524", error, StringComparison.Ordinal);
        Assert.Contains("deleted by the broker", error, StringComparison.Ordinal);
        Assert.Contains("produce them again", error, StringComparison.Ordinal);
    }

    private static string? Header(Message<byte[]?, byte[]?> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
