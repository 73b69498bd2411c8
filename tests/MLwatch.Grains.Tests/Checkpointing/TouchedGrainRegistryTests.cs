using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Tests.Support;
using MLwatch.Streaming.Kafka;
using Orleans.Runtime;

namespace MLwatch.Grains.Tests.Checkpointing;

public sealed class TouchedGrainRegistryTests
{
    private static readonly KafkaPartition P0 = new("mlwatch.requests", 0);
    private static readonly KafkaPartition P1 = new("mlwatch.requests", 1);
    private static readonly KafkaPartition F0 = new("mlwatch.feedback", 0);

    private readonly SiloDeathSignal _deaths = new(TimeProvider.System);
    private readonly TouchedGrainRegistry _registry;

    public TouchedGrainRegistryTests() => _registry = new(NullLogger<TouchedGrainRegistry>.Instance, FakeFlushableGrain.Identify, _deaths);

    [Fact]
    public async Task A_flush_persists_every_touched_activation_once_and_allows_the_commit()
    {
        var a = new FakeFlushableGrain("a");
        var b = new FakeFlushableGrain("b");
        _registry.Touched(a, a.Incarnation, P0);
        _registry.Touched(a, a.Incarnation, P1);
        _registry.Touched(b, b.Incarnation, P0);

        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P0, CancellationToken.None));
        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P0, CancellationToken.None));

        Assert.Equal([a.Incarnation], a.Flushed);
        Assert.Equal([b.Incarnation], b.Flushed);
    }

    [Fact]
    public async Task A_lost_activation_rewinds_each_partition_whose_records_went_into_it_on_its_own_next_checkpoint()
    {
        var lost = new FakeFlushableGrain("lost");
        var kept = new FakeFlushableGrain("kept");
        _registry.Touched(lost, lost.Incarnation, P0);
        _registry.Touched(lost, lost.Incarnation, F0);
        _registry.Touched(kept, kept.Incarnation, P1);
        lost.LoseActivation();
        // A later record reactivates it; the oldest unflushed activation is the one the barrier asks about.
        _registry.Touched(lost, lost.Incarnation, P0);

        // The checkpoint of P1 finds the loss; P1 fed only a grain that persisted, so it commits.
        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P1, CancellationToken.None));
        Assert.True(_registry.IsRewindPending(P0));
        Assert.True(_registry.IsRewindPending(F0));

        Assert.Equal(CommitBarrierResult.Rewind, await _registry.FlushAsync(P0, CancellationToken.None));
        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P0, CancellationToken.None));
        Assert.Equal(CommitBarrierResult.Rewind, await _registry.FlushAsync(F0, CancellationToken.None));
        Assert.False(_registry.IsRewindPending(F0));
    }

    [Fact]
    public async Task The_replay_touches_the_new_activation_again_and_it_is_flushed_before_the_next_commit()
    {
        var grain = new FakeFlushableGrain("g");
        _registry.Touched(grain, grain.Incarnation, P0);
        var first = grain.Incarnation;
        grain.LoseActivation();
        _registry.Touched(grain, grain.Incarnation, P0);
        Assert.Equal(CommitBarrierResult.Rewind, await _registry.FlushAsync(P0, CancellationToken.None));

        // Replayed records reach the new activation.
        _registry.Touched(grain, grain.Incarnation, P0);

        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P0, CancellationToken.None));
        Assert.Equal([first, grain.Incarnation], grain.Flushed);
    }

    [Fact]
    public async Task A_failed_flush_commits_nothing_and_retries_the_grain_with_all_its_partitions()
    {
        var grain = new FakeFlushableGrain("g") { Failure = new InvalidOperationException("storage down") };
        var other = new FakeFlushableGrain("lost");
        _registry.Touched(grain, grain.Incarnation, P0);
        _registry.Touched(other, other.Incarnation, P1);
        other.LoseActivation();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _registry.FlushAsync(P0, CancellationToken.None));

        // The loss found by the failed flush is on record even so.
        Assert.True(_registry.IsRewindPending(P1));
        grain.Failure = null;
        _registry.Touched(grain, grain.Incarnation, P1);
        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P0, CancellationToken.None));
        Assert.Equal([grain.Incarnation], grain.Flushed);
        Assert.Equal(CommitBarrierResult.Rewind, await _registry.FlushAsync(P1, CancellationToken.None));
    }

    [Fact]
    public async Task A_flush_waits_for_an_earlier_one_so_a_loss_it_finds_is_on_record_before_the_next_commit()
    {
        // The feedback provider's checkpoint takes the lost grain; the requests provider's checkpoint of P0 runs meanwhile.
        var lost = new FakeFlushableGrain("lost") { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        _registry.Touched(lost, lost.Incarnation, P0);
        lost.LoseActivation();
        var earlier = _registry.FlushAsync(F0, CancellationToken.None);

        var later = _registry.FlushAsync(P0, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(later.IsCompleted);

        lost.Hold.SetResult();
        Assert.Equal(CommitBarrierResult.Commit, await earlier);
        Assert.Equal(CommitBarrierResult.Rewind, await later);
    }

    [Fact]
    public async Task Apply_records_the_activation_the_grain_returned()
    {
        var grain = new FakeFlushableGrain("g");

        await _registry.ApplyAsync(grain, P0, g => ValueTask.FromResult(g.Incarnation));
        await _registry.FlushAsync(P0, CancellationToken.None);

        Assert.Equal([grain.Incarnation], grain.Flushed);
    }

    [Fact]
    public async Task An_apply_pending_when_a_silo_dies_stops_waiting_and_fails_as_a_transport_failure_would()
    {
        var grain = new FakeFlushableGrain("g");
        var neverAnswered = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _registry.ApplyAsync(grain, P0, _ => new ValueTask<Guid>(neverAnswered.Task));
        var done = _registry.ApplyAsync(grain, P1, _ => new ValueTask<Guid>(answered.Task));
        answered.SetResult(grain.Incarnation);
        await done;

        _deaths.SiloStatusChangeNotification(DeadSilo, SiloStatus.Dead);

        var failure = await Assert.ThrowsAsync<OperationCanceledException>(() => pending);
        Assert.Contains("a silo was declared dead", failure.Message);
        Assert.True(ExternalFailure.Is(failure));

        // Only the answered apply is on record: the pending one's delivery is retried and touches the grain then.
        await _registry.FlushAsync(P0, CancellationToken.None);
        Assert.Equal([grain.Incarnation], grain.Flushed);
    }

    [Fact]
    public async Task A_flush_pending_when_a_silo_dies_commits_nothing_and_the_next_checkpoint_flushes_the_grain()
    {
        var grain = new FakeFlushableGrain("g") { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        _registry.Touched(grain, grain.Incarnation, P0);
        var checkpoint = _registry.FlushAsync(P0, CancellationToken.None);

        _deaths.SiloStatusChangeNotification(DeadSilo, SiloStatus.Joining);
        await Task.Delay(100);
        Assert.False(checkpoint.IsCompleted);
        _deaths.SiloStatusChangeNotification(DeadSilo, SiloStatus.Dead);

        var failure = await Assert.ThrowsAsync<OperationCanceledException>(() => checkpoint);
        Assert.Contains("1 of 1 flush(es)", failure.Message);
        grain.Hold = null;
        Assert.Equal(CommitBarrierResult.Commit, await _registry.FlushAsync(P0, CancellationToken.None));
        Assert.Equal([grain.Incarnation], grain.Flushed);
    }

    [Fact]
    public async Task The_signal_fires_again_after_its_grace_for_calls_that_started_as_the_silo_learned_of_the_death()
    {
        _deaths.SiloStatusChangeNotification(DeadSilo, SiloStatus.Dead);
        var takenRightAfter = _deaths.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(TimeSpan.FromSeconds(30), takenRightAfter));
        Assert.False(_deaths.Token.IsCancellationRequested);
    }

    private static readonly SiloAddress DeadSilo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
}
