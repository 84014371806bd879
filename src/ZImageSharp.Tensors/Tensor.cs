namespace ZImageSharp.Tensors;

/// <summary>
/// An n-dimensional array on a backend: a <see cref="Storage"/> (shared by views, reference counted), a
/// <see cref="Layout"/> and a <see cref="DType"/>. Dimensions are in PyTorch order.
/// </summary>
/// <remarks>
/// Dispose a tensor when done with it (or create it inside a <see cref="TensorScope"/>); its memory is released when
/// the last tensor viewing the storage is disposed. Views are created by the methods in Tensor.Views.cs, math by
/// <see cref="Ops"/> and the operators.
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    private Storage? _storage;

    /// <summary>Wraps a storage that already holds a reference for this tensor.</summary>
    /// <exception cref="ArgumentException">When the layout reaches beyond the storage.</exception>
    internal Tensor(Storage storage, Layout layout, DType dtype)
    {
        long needed = layout.End * dtype.ElementSize();
        if (needed > storage.ByteLength)
        {
            throw new ArgumentException($"Layout {layout} of {dtype} needs {needed} bytes; the storage has {storage.ByteLength}.", nameof(layout));
        }

        _storage = storage;
        Layout = layout;
        DType = dtype;
        Backend = storage.Backend;
        TensorScope.Register(this);
    }

    /// <summary>The backend whose memory holds the elements.</summary>
    public IBackend Backend { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Shape, strides and offset over the storage.</summary>
    public Layout Layout { get; }

    /// <summary>The logical shape.</summary>
    public Shape Shape => Layout.Shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Layout.Rank;

    /// <summary>Number of elements.</summary>
    public long ElementCount => Layout.ElementCount;

    /// <summary>True when the elements are packed in row-major order.</summary>
    public bool IsContiguous => Layout.IsContiguous;

    /// <summary>True after <see cref="Dispose"/>.</summary>
    public bool IsDisposed => _storage is null;

    /// <summary>The scope that disposes this tensor, if any (maintained by <see cref="TensorScope"/>).</summary>
    internal TensorScope? Scope { get; set; }

    /// <summary>The storage; throws once disposed.</summary>
    internal Storage Storage => _storage ?? throw new ObjectDisposedException(nameof(Tensor), $"Tensor {Layout.Shape} {DType} was disposed.");

    /// <summary>The kernel-level description of this tensor (storage, layout, dtype), for backends and tests.</summary>
    public TensorRef ToRef() => new(Storage, Layout, DType);

    /// <summary>Size of a dimension; negative indices count from the end.</summary>
    public int Size(int dim) => Shape[dim];

    /// <summary>Drops this tensor's reference to its storage.</summary>
    public void Dispose()
    {
        Storage? storage = Interlocked.Exchange(ref _storage, null);
        storage?.Release();
    }

    /// <summary>Describes dtype, shape and backend, e.g. <c>Tensor(BF16, [1, 16, 128, 128], cpu)</c>.</summary>
    public override string ToString() => $"Tensor({DType}, {Shape}, {Backend.Name})";

    /// <summary>A new tensor sharing this storage with another layout (a view).</summary>
    internal Tensor View(Layout layout)
    {
        Storage storage = Storage;
        storage.AddRef();
        try
        {
            return new Tensor(storage, layout, DType);
        }
        catch
        {
            storage.Release();
            throw;
        }
    }
}
