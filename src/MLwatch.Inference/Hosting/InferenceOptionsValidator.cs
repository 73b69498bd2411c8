using Microsoft.Extensions.Options;

namespace MLwatch.Inference.Hosting;

/// <summary>Options-pipeline validation for <see cref="InferenceOptions"/>.</summary>
internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var errors = options.GetValidationErrors();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
