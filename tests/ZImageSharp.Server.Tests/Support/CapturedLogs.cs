using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ZImageSharp.Server.Tests.Support;

/// <summary>One log record with the scope values active when it was written.</summary>
internal sealed record LogRecord(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

/// <summary>A logger provider that keeps every record (with its scopes) for assertions.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope(
                (value, values) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (k, v) in pairs)
                        {
                            values[k] = v;
                        }
                    }
                },
                scope);
            if (state is IEnumerable<KeyValuePair<string, object?>> fields)
            {
                foreach (var (k, v) in fields)
                {
                    scope["field:" + k] = v;
                }
            }

            owner.Records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception), scope));
        }
    }
}
