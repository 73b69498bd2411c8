namespace MLwatch.Abstractions.Models;

/// <summary>Where a model version stands in its registry.</summary>
[GenerateSerializer, Alias("mlwatch.model-version-state")]
public enum ModelVersionState
{
    /// <summary>Published or found, not yet validated by any silo.</summary>
    Loading,

    /// <summary>The version records are served with.</summary>
    Active,

    /// <summary>Validated, not served: published without activation, or waiting to be promoted.</summary>
    Candidate,

    /// <summary>Failed validation on the first silo that tried it; never served. <see cref="ModelVersionEntry.StateReason"/> says why.</summary>
    Rejected,

    /// <summary>Served before, replaced by another version (activation or rollback); can be activated again.</summary>
    Retired,
}
