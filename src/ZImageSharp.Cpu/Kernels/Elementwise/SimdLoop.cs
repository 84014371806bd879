using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu;

/// <summary>An element-wise f32 function at every vector width (the TensorPrimitives operator pattern): a
/// <c>readonly struct</c> whose fields carry its parameters, so the generic loop is specialised and inlined per op.</summary>
internal interface IUnaryOperator
{
    /// <summary>The function on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> x);

    /// <summary>The function on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> x);

    /// <summary>The function on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>A two-input element-wise f32 function at every vector width.</summary>
internal interface IBinaryOperator
{
    /// <summary>The function on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    /// <summary>The function on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    /// <summary>The function on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary>A three-input element-wise f32 function at every vector width.</summary>
internal interface ITernaryOperator
{
    /// <summary>The function on 4 lanes.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);

    /// <summary>The function on 8 lanes.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);

    /// <summary>The function on 16 lanes.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}

/// <summary>
/// The one loop that drives the operators over spans: the widest accelerated vector width, then Vector128 for what is
/// left, then one zero-padded Vector128 for the last 1..3 elements. Vector128 is the floor: it is hardware on every
/// x64/Arm64 CPU .NET runs on, so no scalar twin of each operator is needed, and every element goes through the same
/// lane arithmetic wherever it sits.
/// </summary>
/// <remarks>The destination may be the very same memory as an input (in place): each vector is loaded before it is
/// stored and no element is read after its slot was written. Operators must be lane-wise.</remarks>
internal static class SimdLoop
{
    /// <summary>destination[i] = op(x[i]); destination at least as long as x.</summary>
    public static void Run<TOp>(in TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }

        if (i < n)
        {
            Span<float> tx = stackalloc float[Vector128<float>.Count];
            Pad(x[i..n], tx);
            op.Invoke(Vector128.Create<float>(tx)).CopyTo(tx);
            tx[..(n - i)].CopyTo(destination[i..]);
        }
    }

    /// <summary>destination[i] = op(x[i], y[i]); y and destination at least as long as x.</summary>
    public static void Run<TOp>(in TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }

        if (i < n)
        {
            Span<float> tx = stackalloc float[Vector128<float>.Count];
            Span<float> ty = stackalloc float[Vector128<float>.Count];
            Pad(x[i..n], tx);
            Pad(y[i..n], ty);
            op.Invoke(Vector128.Create<float>(tx), Vector128.Create<float>(ty)).CopyTo(tx);
            tx[..(n - i)].CopyTo(destination[i..]);
        }
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]); y, z and destination at least as long as x.</summary>
    public static void Run<TOp>(in TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ds = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i), Vector512.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i), Vector256.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
            }
        }

        for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            op.Invoke(Vector128.LoadUnsafe(ref xs, (nuint)i), Vector128.LoadUnsafe(ref ys, (nuint)i), Vector128.LoadUnsafe(ref zs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }

        if (i < n)
        {
            Span<float> tx = stackalloc float[Vector128<float>.Count];
            Span<float> ty = stackalloc float[Vector128<float>.Count];
            Span<float> tz = stackalloc float[Vector128<float>.Count];
            Pad(x[i..n], tx);
            Pad(y[i..n], ty);
            Pad(z[i..n], tz);
            op.Invoke(Vector128.Create<float>(tx), Vector128.Create<float>(ty), Vector128.Create<float>(tz)).CopyTo(tx);
            tx[..(n - i)].CopyTo(destination[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pad(ReadOnlySpan<float> values, Span<float> vector)
    {
        vector.Clear();
        values.CopyTo(vector);
    }
}
