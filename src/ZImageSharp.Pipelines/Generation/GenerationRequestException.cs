namespace ZImageSharp.Pipelines;

/// <summary>A <see cref="GenerationRequest"/> breaks a rule; the message names the field, the rule and the value given.</summary>
public sealed class GenerationRequestException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public GenerationRequestException(string message, string field)
        : base(message, field)
    {
    }
}
