using System.Text.Json;

namespace ZImageSharp.Server.Tests.Support;

/// <summary>A minimal Server-Sent Events reader: the whole stream, as (id, event, data) until the server closes it.</summary>
internal static class Sse
{
    public static async Task<List<(int Id, string Type, JsonElement Data)>> ReadAllAsync(HttpClient http, string path, int? lastEventId = null, Action<string>? onEvent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var events = new List<(int, string, JsonElement)>();
        int id = -1;
        string type = "message";
        string? data = null;
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add((id, type, JsonDocument.Parse(data).RootElement.Clone()));
                    onEvent?.Invoke(type);
                }

                (id, type, data) = (-1, "message", null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return events;
    }
}
