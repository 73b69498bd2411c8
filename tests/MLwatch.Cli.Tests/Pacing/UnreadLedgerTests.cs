using MLwatch.Cli.Producing.Pacing;

namespace MLwatch.Cli.Tests.Pacing;

public sealed class UnreadLedgerTests
{
    [Fact]
    public void Records_go_to_the_partition_with_the_least_unread_bytes_taking_turns_on_ties()
    {
        var ledger = new UnreadLedger(partitions: 3, maxBytes: 1000, maxRecords: 100);

        Assert.Equal([0, 1, 2], [ledger.TryReserve(100)!.Value, ledger.TryReserve(100)!.Value, ledger.TryReserve(100)!.Value]);
        ledger.Acknowledged(1, offset: 0, bytes: 100);
        ledger.Committed(1, 1);

        Assert.Equal(1, ledger.TryReserve(100));
        Assert.Equal((100L, 1), ledger.Unread(1));
    }

    [Fact]
    public void Nothing_is_reserved_while_every_partition_is_at_its_budget_until_a_commit_frees_room()
    {
        var ledger = new UnreadLedger(partitions: 2, maxBytes: 250, maxRecords: 100);
        var offsets = new long[2];
        for (var i = 0; i < 4; i++)
        {
            var partition = ledger.TryReserve(100)!.Value;
            ledger.Acknowledged(partition, offsets[partition]++, 100);
        }

        Assert.Null(ledger.TryReserve(100));
        Assert.Equal((400L, 4), ledger.TotalUnread());

        ledger.Committed(0, 1);

        Assert.Equal(0, ledger.TryReserve(100));
        Assert.Null(ledger.TryReserve(100));
    }

    [Fact]
    public void The_record_count_is_a_budget_of_its_own()
    {
        var ledger = new UnreadLedger(partitions: 1, maxBytes: 1_000_000, maxRecords: 2);

        Assert.Equal(0, ledger.TryReserve(1));
        Assert.Equal(0, ledger.TryReserve(1));
        Assert.Null(ledger.TryReserve(1));
    }

    [Fact]
    public void An_empty_partition_takes_a_record_larger_than_the_whole_budget_and_then_nothing_until_it_is_read()
    {
        var ledger = new UnreadLedger(partitions: 1, maxBytes: 1000, maxRecords: 100);

        Assert.Equal(0, ledger.TryReserve(15_000_000));
        Assert.Null(ledger.TryReserve(1));

        ledger.Acknowledged(0, offset: 7, bytes: 15_000_000);
        ledger.Committed(0, 7);
        Assert.Null(ledger.TryReserve(1));

        ledger.Committed(0, 8);
        Assert.Equal(0, ledger.TryReserve(1));
    }

    [Fact]
    public void A_failed_record_frees_its_room_and_an_acknowledgement_below_the_commit_counts_as_read()
    {
        var ledger = new UnreadLedger(partitions: 1, maxBytes: 100, maxRecords: 10);
        Assert.Equal(0, ledger.TryReserve(100));

        ledger.Failed(0, 100);
        Assert.Equal((0L, 0), ledger.Unread(0));

        Assert.Equal(0, ledger.TryReserve(100));
        ledger.Committed(0, 50);
        ledger.Acknowledged(0, offset: 49, bytes: 100);
        Assert.Equal((0L, 0), ledger.Unread(0));
    }
}
