using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ZImageSharp.Server.Api;

/// <summary>
/// Errors on the wire. The job API uses RFC 9457 problem details (<c>application/problem+json</c> with
/// <c>errors: {field: [message]}</c> as ASP.NET's validation problems); the OpenAI API uses OpenAI's
/// <c>{"error": {"message", "type", "param", "code"}}</c>, so its clients raise their usual exceptions.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>The media type of problem details.</summary>
    public const string ProblemJson = "application/problem+json";

    /// <summary>Writes <paramref name="error"/> as problem details.</summary>
    public static Task WriteProblemAsync(HttpContext context, ApiException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        string body = Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "about:blank");
            json.WriteString("title", Title(error.Status));
            json.WriteNumber("status", error.Status);
            json.WriteString("detail", error.Message);
            if (error.Field is { } field)
            {
                json.WriteString("field", field);
                json.WriteStartObject("errors");
                json.WriteStartArray(field);
                json.WriteStringValue(error.Message);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteString("request_id", context.TraceIdentifier);
            json.WriteEndObject();
        });
        return WriteAsync(context, error, ProblemJson, body);
    }

    /// <summary>Writes <paramref name="error"/> in OpenAI's error shape.</summary>
    public static Task WriteOpenAiAsync(HttpContext context, ApiException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        string body = Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", error.Message);
            json.WriteString("type", OpenAiType(error.Status));
            WriteNullable(json, "param", error.Field);
            WriteNullable(json, "code", error.Code);
            json.WriteEndObject();
            json.WriteEndObject();
        });
        return WriteAsync(context, error, "application/json", body);
    }

    /// <summary>OpenAI's error types: invalid_request_error for 4xx, "requests" for rate limits, server_error for 5xx.</summary>
    public static string OpenAiType(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "requests",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    private static async Task WriteAsync(HttpContext context, ApiException error, string contentType, string body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = contentType;
        if (error.RetryAfterSeconds is { } retry)
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer realm=\"zimage\"";
        }

        await response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string Title(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Unauthorized",
        404 => "Not found",
        409 => "Conflict",
        413 => "Request body too large",
        429 => "Queue full",
        503 => "Service unavailable",
        _ => "Server error",
    };

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
