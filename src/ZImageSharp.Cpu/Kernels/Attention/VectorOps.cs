using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu;

/// <summary>
/// The few f32 vector operations the attention softmax needs, as static abstract members so one generic routine is
/// compiled once per vector width (the TensorPrimitives operator pattern).
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
/// <remarks>Unsafe: loads and stores touch <see cref="Count"/> floats at the pointer.</remarks>
internal unsafe interface IVectorOps<TV>
    where TV : unmanaged
{
    static abstract int Count { get; }

    static abstract TV Load(float* p);

    static abstract void Store(TV value, float* p);

    static abstract TV Splat(float value);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Max(TV a, TV b);

    static abstract TV Exp(TV a);

    /// <summary>0 where the lane is −∞, the lane otherwise (a running maximum that has seen no key yet).</summary>
    static abstract TV ZeroIfNegativeInfinity(TV a);
}

/// <summary>AVX-512 lanes.</summary>
internal readonly unsafe struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    /// <summary>Accelerated, and rows of <paramref name="multiple"/> floats split into whole vectors.</summary>
    public static bool IsUsable(int multiple) => Vector512.IsHardwareAccelerated && multiple % Count == 0;

    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    public static void Store(Vector512<float> value, float* p) => value.Store(p);

    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    public static Vector512<float> Exp(Vector512<float> a) => Vector512.Exp(a);

    public static Vector512<float> ZeroIfNegativeInfinity(Vector512<float> a)
        => Vector512.ConditionalSelect(Vector512.Equals(a, Vector512.Create(float.NegativeInfinity)), Vector512<float>.Zero, a);
}

/// <summary>AVX2 lanes.</summary>
internal readonly unsafe struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    /// <summary>Accelerated, and rows of <paramref name="multiple"/> floats split into whole vectors.</summary>
    public static bool IsUsable(int multiple) => Vector256.IsHardwareAccelerated && multiple % Count == 0;

    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    public static void Store(Vector256<float> value, float* p) => value.Store(p);

    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    public static Vector256<float> Exp(Vector256<float> a) => Vector256.Exp(a);

    public static Vector256<float> ZeroIfNegativeInfinity(Vector256<float> a)
        => Vector256.ConditionalSelect(Vector256.Equals(a, Vector256.Create(float.NegativeInfinity)), Vector256<float>.Zero, a);
}

/// <summary>128-bit lanes: SSE or NEON, and a correct (software) fallback anywhere else.</summary>
internal readonly unsafe struct Vector128Ops : IVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    public static void Store(Vector128<float> value, float* p) => value.Store(p);

    public static Vector128<float> Splat(float value) => Vector128.Create(value);

    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    public static Vector128<float> Exp(Vector128<float> a) => Vector128.Exp(a);

    public static Vector128<float> ZeroIfNegativeInfinity(Vector128<float> a)
        => Vector128.ConditionalSelect(Vector128.Equals(a, Vector128.Create(float.NegativeInfinity)), Vector128<float>.Zero, a);
}
