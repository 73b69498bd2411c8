using MLwatch.Inference.Imaging;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// The dead letter for a notice of records deleted before they were read (<see cref="KafkaRecord.IsExpiredRange"/>):
/// one per range, so that a jump over lost records is never silent.
/// </summary>
public static class ExpiredRecords
{
    /// <summary>"{topic}/{partition}/{from}-{to}": where the lost records were (the dead letter's key and mlwatch-origin).</summary>
    public static string Origin(KafkaRecord notice) => $"{notice.Topic}/{notice.Partition}/{notice.ExpiredFromOffset}-{notice.Offset}";

    /// <summary>Why the range is a dead letter and what to do about it.</summary>
    public static ImageRejection Rejection(KafkaRecord notice) => new(
        IngestRejectionReasons.RecordsExpired,
        $"{notice.RecordCount} record(s) of topic {notice.Topic} partition {notice.Partition}, offsets {notice.ExpiredFromOffset}..{notice.Offset}, " +
        "were deleted by the broker (retention, or the embedded broker's 5 MiB per-partition limit) before MLwatch read them; " +
        "produce them again from their source if they are needed, and keep retention ahead of the pipeline (raise the topic's " +
        "retention.ms/retention.bytes, produce more slowly, or use a real Kafka instead of the embedded broker).");
}
