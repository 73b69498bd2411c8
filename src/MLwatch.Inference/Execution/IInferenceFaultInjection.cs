using MLwatch.Inference.Models;

namespace MLwatch.Inference.Execution;

/// <summary>
/// A test seam of the <see cref="InferenceExecutor"/>: awaited before a call's images are queued, so a test can make a
/// model artificially slow (to exercise a speculative fallback's deadline). Production registers none; only tests add one.
/// </summary>
public interface IInferenceFaultInjection
{
    /// <summary>Called once per <see cref="InferenceExecutor.ClassifyAsync"/> call, before its images are queued.</summary>
    ValueTask BeforeClassifyAsync(ModelDescriptor model, CancellationToken cancellationToken);
}
