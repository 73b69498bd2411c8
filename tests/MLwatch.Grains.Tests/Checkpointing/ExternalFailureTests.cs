using MLwatch.Grains.Checkpointing;

namespace MLwatch.Grains.Tests.Checkpointing;

public sealed class ExternalFailureTests
{
    public static TheoryData<Exception> RecordFaults() =>
    [
        new InvalidOperationException("Sequence contains no elements"),
        new NullReferenceException(),
        new ArgumentOutOfRangeException("ms"),
        new FormatException(),
        new IOException("disk"),
        new AggregateException(new ArgumentException("a"), new FormatException("b")),
        new InvalidOperationException("outer", new KeyNotFoundException("inner")),
    ];

    [Theory]
    [MemberData(nameof(RecordFaults))]
    public void Bugs_are_not_external_failures_so_their_records_can_be_isolated(Exception exception)
    {
        Assert.False(ExternalFailure.Is(exception));
    }

    [Fact]
    public void A_storage_error_wrapped_by_Orleans_storage_bridge_is_external_whatever_it_wraps()
    {
        // StateStorageBridge wraps every non-Orleans provider error in an OrleansException.
        var wrapped = new OrleansException("Error from storage provider mlwatch during ReadStateAsync", new InvalidOperationException("connection refused"));

        Assert.True(ExternalFailure.Is(wrapped));
    }

    [Fact]
    public void A_timeout_deep_in_an_aggregate_is_external()
    {
        var nested = new AggregateException(new FormatException(), new InvalidOperationException("x", new AggregateException(new TimeoutException())));

        Assert.True(ExternalFailure.Is(nested));
    }
}
