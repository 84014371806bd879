namespace ZImageSharp.Server.Api;

/// <summary>
/// A request the server answers with an error: the HTTP status, one sentence for the user, and the field at fault.
/// Handlers throw it; the job API writes it as <c>application/problem+json</c>, the OpenAI API in OpenAI's error shape.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="message">One sentence naming the field, the rule and the value given.</param>
    /// <param name="field">The request field at fault, or null.</param>
    /// <param name="code">A machine-readable code (OpenAI's <c>error.code</c>), or null.</param>
    public ApiException(int status, string message, string? field = null, string? code = null)
        : base(message)
    {
        Status = status;
        Field = field;
        Code = code;
    }

    /// <summary>Creates a 400 with no field.</summary>
    public ApiException()
        : this(400, "bad request")
    {
    }

    /// <summary>Creates a 400 with no field.</summary>
    public ApiException(string message)
        : this(400, message)
    {
    }

    /// <summary>Creates a 400 wrapping <paramref name="innerException"/>.</summary>
    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The request field at fault, or null.</summary>
    public string? Field { get; }

    /// <summary>A machine-readable code, or null.</summary>
    public string? Code { get; }

    /// <summary>Seconds a client should wait before retrying (sent as Retry-After), or null.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A 400 for <paramref name="field"/>.</summary>
    public static ApiException Invalid(string field, string message) => new(400, message, field);
}
