using System.Runtime.InteropServices;

namespace ZImageSharp.Tensors;

// Creating tensors on a backend, and moving data between the host and a tensor.
public sealed partial class Tensor
{
    /// <summary>An uninitialised contiguous tensor.</summary>
    public static Tensor Empty(IBackend backend, Shape shape, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Storage storage = backend.Allocate(checked(shape.ElementCount * dtype.ElementSize()));
        try
        {
            return new Tensor(storage, new Layout(shape), dtype);
        }
        catch
        {
            storage.Release();
            throw;
        }
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(IBackend backend, Shape shape, double value, DType dtype = DType.F32)
    {
        Tensor t = Empty(backend, shape, dtype);
        backend.Kernels.Fill(t.ToRef(), value);
        return t;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(IBackend backend, Shape shape, DType dtype = DType.F32) => Full(backend, shape, 0, dtype);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(IBackend backend, Shape shape, DType dtype = DType.F32) => Full(backend, shape, 1, dtype);

    /// <summary>Copies host data into a new contiguous tensor; the dtype follows <typeparamref name="T"/>.</summary>
    /// <exception cref="ShapeMismatchException">When the data length differs from the shape's element count.</exception>
    public static Tensor From<T>(IBackend backend, ReadOnlySpan<T> data, Shape shape)
        where T : unmanaged
    {
        if (data.Length != shape.ElementCount)
        {
            throw new ShapeMismatchException("from", $"{data.Length} values given for shape {shape} ({shape.ElementCount} elements).");
        }

        Tensor t = Empty(backend, shape, DTypes.Of<T>());
        backend.Upload(MemoryMarshal.AsBytes(data), t.Storage, 0);
        return t;
    }

    /// <summary>Copies a host array into a new 1-D or shaped tensor.</summary>
    public static Tensor From<T>(IBackend backend, T[] data, params ReadOnlySpan<int> dims)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return From<T>(backend, data, dims.Length == 0 ? new Shape(data.Length) : new Shape(dims));
    }

    /// <summary>Copies the elements to a new host array in row-major order; <typeparamref name="T"/> must match the dtype.</summary>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var result = new T[ElementCount];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements to <paramref name="destination"/> in row-major order; <typeparamref name="T"/> must match the dtype.</summary>
    public void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        if (DTypes.Of<T>() != DType)
        {
            throw new TensorOpException("download", $"tensor is {DType}, but the host buffer holds {typeof(T).Name}; use ToFloatArray() or Ops.Cast first.");
        }

        if (destination.Length != ElementCount)
        {
            throw new ShapeMismatchException("download", $"host buffer has {destination.Length} elements, tensor {Shape} has {ElementCount}.");
        }

        if (ElementCount == 0)
        {
            return;
        }

        if (IsContiguous)
        {
            Backend.Download(Storage, Layout.Offset * DType.ElementSize(), MemoryMarshal.AsBytes(destination));
            return;
        }

        using Tensor contiguous = Ops.Contiguous(this);
        contiguous.CopyTo(destination);
    }

    /// <summary>The elements converted to f32, row-major (any dtype).</summary>
    public float[] ToFloatArray()
    {
        if (DType == DType.F32)
        {
            return ToArray<float>();
        }

        using Tensor f32 = Ops.Cast(this, DType.F32);
        return f32.ToArray<float>();
    }

    /// <summary>The only element of a one-element tensor, as a float.</summary>
    public float Item()
    {
        if (ElementCount != 1)
        {
            throw new ShapeMismatchException("item", $"tensor of shape {Shape} has {ElementCount} elements, not 1.");
        }

        return ToFloatArray()[0];
    }

    /// <summary>A contiguous copy on another backend (through host memory), or a new view when it is already there.</summary>
    public Tensor To(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (ReferenceEquals(backend, Backend))
        {
            return View(Layout);
        }

        using Tensor source = IsContiguous ? View(Layout) : Ops.Contiguous(this);
        var bytes = new byte[checked(ElementCount * DType.ElementSize())];
        Backend.Download(source.Storage, source.Layout.Offset * DType.ElementSize(), bytes);
        Tensor result = Empty(backend, Shape, DType);
        backend.Upload(bytes, result.Storage, 0);
        return result;
    }

    /// <summary>Wraps existing storage with a layout; the storage's reference passes to the new tensor.</summary>
    /// <remarks>For backends and loaders that create storage themselves (e.g. a memory-mapped weight).</remarks>
    public static Tensor FromStorage(Storage storage, Layout layout, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new Tensor(storage, layout, dtype);
    }
}
