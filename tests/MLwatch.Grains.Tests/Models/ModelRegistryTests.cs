using MLwatch.Abstractions.Models;
using MLwatch.Grains.Models;
using MLwatch.Grains.Shadow;

namespace MLwatch.Grains.Tests.Models;

public sealed class ModelRegistryTests
{
    private const string Topic = "mlwatch.models";
    private readonly ModelRegistry _registry = new(new ModelRegistryState { Model = "fashion-mnist" }, TimeProvider.System);
    private long _offset;

    private ModelRegistryState State => _registry.State;

    [Fact]
    public void The_repository_makes_the_configured_version_active_else_the_highest_validated()
    {
        _registry.Report("silo-a", [Passed("1"), Passed("2"), Failed("3", "input-mismatch")], repository: true, preferredVersion: "1");

        Assert.Equal("1", State.Active);
        Assert.Equal(ModelVersionState.Candidate, State.Versions["2"].State);
        Assert.Equal(ModelVersionState.Rejected, State.Versions["3"].State);
        Assert.Equal("input-mismatch: input [N, 1, 32, 32]", State.Versions["3"].StateReason);

        var other = new ModelRegistry(new ModelRegistryState { Model = "m" }, TimeProvider.System);
        other.Report("silo-a", [Passed("1"), Passed("2")], repository: true, preferredVersion: null);
        Assert.Equal("2", other.State.Active);
    }

    [Fact]
    public void Only_a_published_candidate_is_shadowed_not_a_version_merely_found_in_the_models_root()
    {
        _registry.Report("silo-a", [Passed("1"), Passed("2"), Passed("3")], repository: true, preferredVersion: "1");
        Assert.Equal((ModelVersionState.Candidate, ModelVersionState.Candidate), (State.Versions["2"].State, State.Versions["3"].State));
        Assert.Null(ShadowCandidates.Of(State));

        // Publishing a version of the models root without activating it makes it the shadowed candidate.
        Control(ModelControlKinds.Publish, "2", sha: "aa");
        Assert.Equal(("api", "alice"), (State.Versions["2"].Source, State.Versions["2"].PublishedBy));
        Assert.Equal("2", ShadowCandidates.Of(State));
        Assert.Null(ShadowCandidates.Of(State, usable: v => v != "2"));
    }

    [Fact]
    public void A_published_version_is_loading_until_a_silo_validates_it_then_active_and_the_old_one_retired()
    {
        StartWith("1");

        Control(ModelControlKinds.Publish, "2", sha: "bb", activate: true);
        Assert.Equal(ModelVersionState.Loading, State.Versions["2"].State);
        Assert.Equal("1", State.Active);

        _registry.Report("silo-b", [Passed("2", sha: "bb")], repository: false, preferredVersion: null);

        Assert.Equal("2", State.Active);
        Assert.Equal("1", State.Previous);
        Assert.Equal(ModelVersionState.Retired, State.Versions["1"].State);
        Assert.Equal(("alice", "bb", "[N, 10]", 0.93), (State.Versions["2"].PublishedBy, State.Versions["2"].Sha256, State.Versions["2"].OutputShape, State.Versions["2"].QualityValue));
        Assert.Equal(
            [ModelRegistryEventKinds.Published, ModelRegistryEventKinds.Validated, ModelRegistryEventKinds.Activated],
            State.Events.Skip(3).Select(e => e.Kind));
        Assert.Equal("silo-b", State.Events[^2].Silo);
        Assert.Equal($"{Topic}/0/1", State.Events[^3].Control);
    }

    [Fact]
    public void A_candidate_waits_for_activation_by_hand_and_rollback_returns_to_the_version_before()
    {
        StartWith("1");
        Control(ModelControlKinds.Publish, "2", sha: "bb", activate: false);
        _registry.Report("silo-a", [Passed("2", sha: "bb")], repository: false, preferredVersion: null);
        Assert.Equal((ModelVersionState.Candidate, "1"), (State.Versions["2"].State, State.Active));

        Control(ModelControlKinds.Activate, "2");
        Assert.Equal(("2", "1"), (State.Active, State.Previous));

        Control(ModelControlKinds.Rollback, null, by: "bob");
        Assert.Equal(("1", (string?)null), (State.Active, State.Previous));
        Assert.Equal(ModelVersionState.Retired, State.Versions["2"].State);
        Assert.Equal("Rolled back by bob to version 1.", State.Versions["2"].StateReason);
        Assert.Equal((ModelRegistryEventKinds.RolledBack, "bob"), (State.Events[^1].Kind, State.Events[^1].By));

        Control(ModelControlKinds.Rollback, null);
        Assert.Equal("1", State.Active);
        Assert.Equal("Cannot roll back: version 1 is the first version made active; activate another version instead.", State.Events[^1].Message);

        Control(ModelControlKinds.Activate, "2");
        Assert.Equal(("2", "1"), (State.Active, State.Previous));
    }

    [Fact]
    public void Control_records_apply_once_by_position_whichever_silo_forwards_them()
    {
        StartWith("1");
        Control(ModelControlKinds.Publish, "2", sha: "bb", activate: false);
        _registry.Report("silo-a", [Passed("2", sha: "bb")], repository: false, preferredVersion: null);
        var activate = Control(ModelControlKinds.Activate, "2");
        var rollback = Control(ModelControlKinds.Rollback, null);
        var revision = State.Revision;

        // A silo that starts later reads the topic from the beginning and forwards the same records again.
        Assert.False(_registry.ApplyControl(activate));
        Assert.False(_registry.ApplyControl(rollback));

        Assert.Equal("1", State.Active);
        Assert.Equal(revision, State.Revision);
        Assert.Equal(rollback.Offset, State.ControlApplied[$"{Topic}/0"]);
    }

    [Fact]
    public void A_version_rejected_by_its_first_silo_is_rejected_and_cannot_be_activated_until_published_again_with_other_bytes()
    {
        StartWith("1");
        Control(ModelControlKinds.Publish, "2", sha: "bad", activate: true);
        _registry.Report("silo-a", [Failed("2", "non-finite-output", sha: "bad")], repository: false, preferredVersion: null);

        Assert.Equal(("1", ModelVersionState.Rejected), (State.Active, State.Versions["2"].State));
        Assert.Equal((ModelRegistryEventKinds.Rejected, "non-finite-output", "silo-a"), (State.Events[^1].Kind, State.Events[^1].Reason, State.Events[^1].Silo));

        Control(ModelControlKinds.Activate, "2");
        Assert.Equal(ModelRegistryEventKinds.Refused, State.Events[^1].Kind);
        Assert.Equal("Cannot activate version 2: it was rejected (non-finite-output: input [N, 1, 32, 32]); publish a fixed version.", State.Events[^1].Message);

        Control(ModelControlKinds.Publish, "2", sha: "good", activate: true);
        Assert.Equal((ModelVersionState.Loading, "good"), (State.Versions["2"].State, State.Versions["2"].Sha256));
        _registry.Report("silo-a", [Passed("2", sha: "good")], repository: false, preferredVersion: null);
        Assert.Equal("2", State.Active);
    }

    [Fact]
    public void A_version_never_changes_its_bytes_once_validated()
    {
        StartWith("1", sha: "aa");
        var revision = State.Revision;

        Control(ModelControlKinds.Publish, "1", sha: "aa", activate: true);
        Assert.Equal(ModelRegistryEventKinds.Activated, State.Events[^1].Kind);

        Control(ModelControlKinds.Publish, "1", sha: "zz", activate: true);
        Assert.Equal(ModelRegistryEventKinds.Refused, State.Events[^1].Kind);
        Assert.StartsWith("Version 1 exists with other bytes (SHA-256 aa, Active)", State.Events[^1].Message, StringComparison.Ordinal);
        Assert.Equal("aa", State.Versions["1"].Sha256);
        Assert.Equal(revision + 2, State.Revision);
    }

    [Fact]
    public void Commands_about_versions_not_ready_are_refused_with_what_to_do()
    {
        StartWith("1");
        Control(ModelControlKinds.Publish, "2", sha: "bb", activate: false);

        Control(ModelControlKinds.Activate, "2");
        Assert.Equal("Cannot activate version 2: no silo has validated it yet; wait until GET /api/models/fashion-mnist/versions shows it as candidate.", State.Events[^1].Message);
        Control(ModelControlKinds.Activate, "7");
        Assert.Equal("Cannot activate version '7': the registry has no such version; known: 1, 2.", State.Events[^1].Message);
        Control(ModelControlKinds.Publish, "../x", sha: "cc", activate: true);
        Assert.StartsWith("'../x' is not a version name", State.Events[^1].Message, StringComparison.Ordinal);
        Assert.Equal("1", State.Active);
    }

    [Fact]
    public void A_silo_that_rejects_the_active_version_is_recorded_and_the_version_stays_active()
    {
        StartWith("1");
        Control(ModelControlKinds.Publish, "2", sha: "bb", activate: true);
        _registry.Report("silo-a", [Passed("2", sha: "bb")], repository: false, preferredVersion: null);

        _registry.Report("silo-b", [Failed("2", "onnx-unloadable", sha: "bb")], repository: false, preferredVersion: null);
        _registry.ReportServing("silo-b", "1", "version 2 is active, but this silo rejected it");

        Assert.Equal((ModelVersionState.Active, "2"), (State.Versions["2"].State, State.Active));
        Assert.False(State.Versions["2"].Silos["silo-b"].Passed);
        Assert.Equal(("1", "version 2 is active, but this silo rejected it"), (State.Silos["silo-b"].Version, State.Silos["silo-b"].Note));
        Assert.False(_registry.ReportServing("silo-b", "1", "version 2 is active, but this silo rejected it"));
    }

    [Fact]
    public void The_same_report_twice_changes_nothing()
    {
        StartWith("1");
        var revision = State.Revision;

        Assert.False(_registry.Report("silo-a", [Passed("1")], repository: true, preferredVersion: "1"));
        Assert.Equal(revision, State.Revision);
    }

    private void StartWith(string version, string sha = "aa") =>
        _registry.Report("silo-a", [Passed(version, sha)], repository: true, preferredVersion: version);

    private ModelControlCommand Control(string kind, string? version, string? sha = null, bool activate = false, string by = "alice")
    {
        var command = new ModelControlCommand(kind, version, by, Topic, 0, ++_offset) { Sha256 = sha, Activate = activate, Source = "api" };
        Assert.True(_registry.ApplyControl(command));
        return command;
    }

    private static ModelVersionReport Passed(string version, string sha = "aa") =>
        new(version, sha, true, null, null) { InputName = "input", InputShape = "[N, 1, 28, 28]", OutputName = "logits", OutputShape = "[N, 10]", LabelCount = 10, QualityMetric = "test_accuracy", QualityValue = 0.93 };

    private static ModelVersionReport Failed(string version, string reason, string sha = "ff") => new(version, sha, false, reason, "input [N, 1, 32, 32]");
}
