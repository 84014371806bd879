using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ZImageSharp.Server.Api;

/// <summary>
/// Reads a request body as one JSON object within the size limit. Any Content-Type is accepted (curl's <c>-d</c>
/// sends form encoding by default). A syntax error names the last field read before it, so "malformed JSON" says where.
/// </summary>
internal static class JsonBody
{
    /// <summary>Reads and parses the body; the caller disposes the document.</summary>
    /// <exception cref="ApiException">413 over the limit; 400 for an empty body, malformed JSON or a non-object.</exception>
    public static async Task<JsonDocument> ReadObjectAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        byte[] body = await ReadAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ApiException.Invalid("body", "the body is empty; send a JSON object such as {\"prompt\": \"a red fox in snow\"}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            string? field = LastTopLevelProperty(body);
            string near = field is null ? string.Empty : $" after \"{field}\"";
            throw ApiException.Invalid(field ?? "body", $"the body is not valid JSON{near} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {Reason(e)}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            JsonValueKind kind = document.RootElement.ValueKind;
            document.Dispose();
            throw ApiException.Invalid("body", $"the body must be a JSON object, got {JsonFields.KindName(kind)}.");
        }

        return document;
    }

    private static async Task<byte[]> ReadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }

        return buffer.ToArray();
    }

    private static ApiException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBytes} bytes; prompts are limited to 8 KB each.", "body");

    /// <summary>The last property name read at the top level before the parser stopped.</summary>
    private static string? LastTopLevelProperty(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        string? last = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    last = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Expected: this pass only runs on malformed bodies and stops at the same error.
        }
        catch (InvalidOperationException)
        {
            // A property name with invalid escapes cannot be read as a string; keep the previous one.
        }

        return last;
    }

    /// <summary>The parser's sentence without its trailing position (given separately, 1-based).</summary>
    private static string Reason(JsonException e)
    {
        string message = e.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string reason = at > 0 ? message[..at] : message;
        return reason.TrimEnd().TrimEnd('.') + ".";
    }

    /// <summary>The UTF-8 length of <paramref name="text"/>.</summary>
    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);
}
