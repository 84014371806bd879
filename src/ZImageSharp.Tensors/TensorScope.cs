namespace ZImageSharp.Tensors;

/// <summary>
/// Disposes the temporaries of a block of code: every tensor created on this thread while the scope is the innermost
/// one is disposed with the scope, except those passed to <see cref="Keep"/>, which move to the enclosing scope
/// (or become unscoped at the top level).
/// </summary>
/// <example><code>
/// using var scope = TensorScope.Begin();
/// var h = Ops.Silu(Ops.Linear(x, w1));
/// return scope.Keep(Ops.Linear(h, w2));
/// </code></example>
/// <remarks>Scopes are per thread and must be disposed in reverse order of creation (use <c>using</c>).</remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic]
    private static TensorScope? t_current;

    private readonly TensorScope? _parent;
    private readonly List<Tensor> _tensors = [];
    private bool _disposed;

    private TensorScope(TensorScope? parent) => _parent = parent;

    /// <summary>The innermost scope on this thread, or null.</summary>
    public static TensorScope? Current => t_current;

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count => _tensors.Count(t => t.Scope == this && !t.IsDisposed);

    /// <summary>Opens a scope nested in the current one.</summary>
    public static TensorScope Begin()
    {
        var scope = new TensorScope(t_current);
        t_current = scope;
        return scope;
    }

    /// <summary>Opens a scope that is not nested: tensors created inside are kept by no outer scope.</summary>
    /// <remarks>Use for objects whose tensors outlive the caller's scope (e.g. weights loaded during a request).</remarks>
    public static IDisposable Suspend()
    {
        var previous = t_current;
        t_current = null;
        return new Restore(previous);
    }

    /// <summary>Exempts a tensor from disposal by this scope and hands it to the enclosing scope.</summary>
    /// <returns>The same tensor, for chaining.</returns>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Scope == this)
        {
            tensor.Scope = _parent;
            _parent?._tensors.Add(tensor);
        }

        return tensor;
    }

    /// <summary>Disposes every tensor registered here and not kept, and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (t_current == this)
        {
            t_current = _parent;
        }

        foreach (Tensor t in _tensors)
        {
            if (t.Scope == this)
            {
                t.Scope = null;
                t.Dispose();
            }
        }

        _tensors.Clear();
    }

    internal static void Register(Tensor tensor)
    {
        TensorScope? scope = t_current;
        if (scope is not null)
        {
            tensor.Scope = scope;
            scope._tensors.Add(tensor);
        }
    }

    private sealed class Restore(TensorScope? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
