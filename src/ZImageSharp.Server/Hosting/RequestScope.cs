using System.Collections;

namespace ZImageSharp.Server.Hosting;

/// <summary>The logging scope of one HTTP request: a structured <c>RequestId</c> field, shown as "request ID" on the console.</summary>
internal sealed class RequestScope(string requestId) : IReadOnlyList<KeyValuePair<string, object>>
{
    /// <summary>The request id.</summary>
    public string RequestId { get; } = requestId;

    /// <inheritdoc/>
    public int Count => 1;

    /// <inheritdoc/>
    public KeyValuePair<string, object> this[int index] => index == 0 ? new("RequestId", RequestId) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"request {RequestId}";
}
