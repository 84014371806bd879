namespace ZImageSharp.Tensors;

/// <summary>Argument checks shared by the <see cref="Ops"/> entry points; each failure names the op.</summary>
internal static class OpChecks
{
    public static void NotNull(string op, Tensor? t, string name)
    {
        if (t is null)
        {
            throw new ArgumentNullException(name, $"{op}: {name} is null.");
        }

        if (t.IsDisposed)
        {
            throw new ObjectDisposedException(nameof(Tensor), $"{op}: {name} was disposed.");
        }
    }

    public static void SameBackend(string op, Tensor a, Tensor b, string nameB)
    {
        if (!ReferenceEquals(a.Backend, b.Backend))
        {
            throw new TensorOpException(op, $"{nameB} is on {b.Backend.Name} but the other inputs are on {a.Backend.Name}; move it with To(backend).");
        }
    }

    public static void Float(string op, Tensor t, string name)
    {
        if (!t.DType.IsFloatingPoint())
        {
            throw new TensorOpException(op, $"{name} must be F32, F16 or BF16, found {t.DType}.");
        }
    }

    public static void Rank(string op, Tensor t, int rank, string name)
    {
        if (t.Rank != rank)
        {
            throw new ShapeMismatchException(op, $"{name} must have rank {rank}, found shape {t.Shape}.");
        }
    }

    public static void MinRank(string op, Tensor t, int rank, string name)
    {
        if (t.Rank < rank)
        {
            throw new ShapeMismatchException(op, $"{name} must have rank {rank} or more, found shape {t.Shape}.");
        }
    }

    public static void Vector(string op, Tensor? t, int length, string name, Tensor reference)
    {
        if (t is null)
        {
            return;
        }

        NotNull(op, t, name);
        SameBackend(op, reference, t, name);
        Float(op, t, name);
        if (t.Rank != 1 || t.Shape[0] != length)
        {
            throw new ShapeMismatchException(op, $"{name} must have shape [{length}], found {t.Shape}.");
        }
    }

    public static void Writable(string op, Tensor destination)
    {
        if (destination.Storage.IsReadOnly)
        {
            throw new TensorOpException(op, "the destination is read-only memory (e.g. a weight mapped from a checkpoint).");
        }
    }

    public static void Supported(OpKind op, Tensor t)
    {
        if (!t.Backend.Supports(op, t.DType))
        {
            throw new UnsupportedOperationException(op, t.DType, t.Backend.Name);
        }
    }

    /// <summary>The tensor itself (as a new view) when its last dimension has stride 1, else a contiguous copy.</summary>
    public static Tensor Rows(Tensor t)
    {
        if (t.Rank == 0 || t.Shape[-1] == 1 || t.Layout.Stride(-1) == 1)
        {
            return t.View(t.Layout);
        }

        return Ops.Contiguous(t);
    }

    /// <summary>The tensor itself (as a new view) when contiguous, else a contiguous copy.</summary>
    public static Tensor Packed(Tensor t) => t.IsContiguous ? t.View(t.Layout) : Ops.Contiguous(t);

    /// <summary>A contiguous tensor of the given dtype: a view when nothing changes, else a converted copy.</summary>
    public static Tensor Packed(Tensor t, DType dtype)
    {
        if (t.DType == dtype)
        {
            return Packed(t);
        }

        return Ops.Cast(t, dtype);
    }
}
