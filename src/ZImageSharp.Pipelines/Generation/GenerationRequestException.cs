namespace ZImageSharp.Pipelines;

/// <summary>A <see cref="GenerationRequest"/> breaks a rule; the message names the field, the rule and the value given.</summary>
public sealed class GenerationRequestException : ArgumentException
{
    private readonly string _message;

    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public GenerationRequestException(string message, string field)
        : base(message, field)
    {
        _message = message;
    }

    /// <summary>The request field that breaks the rule (e.g. <c>width</c>).</summary>
    public string Field => ParamName ?? string.Empty;

    /// <summary>The sentence alone: <see cref="ArgumentException"/> would append "(Parameter '…')", which a user
    /// reading one error line does not need twice.</summary>
    public override string Message => _message;
}
