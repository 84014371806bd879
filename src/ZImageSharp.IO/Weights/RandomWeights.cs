using System.Buffers;
using System.Runtime.InteropServices;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Weights;

/// <summary>
/// Fast random weights for full-size benchmarks (a 6B-parameter DiT without a checkpoint): uniform values with the
/// mean and standard deviation <see cref="SyntheticWeights"/> would use, generated in parallel 1 Mi-element chunks
/// from a per-chunk seed and written in the target dtype, so the values do not depend on the thread count. Unlike
/// <see cref="SyntheticWeights"/> (Box-Muller in f64, one array per tensor) this fills billions of values in seconds;
/// the demo keeps the normal distribution of the fixtures.
/// </summary>
public static class RandomWeights
{
    private const int ChunkElements = 1 << 20;

    /// <summary>A tensor of <paramref name="shape"/> in <paramref name="dtype"/> (F32, BF16 or F16) on <paramref name="backend"/>.</summary>
    public static Tensor Create(string name, Shape shape, ulong seed, IBackend backend, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(backend);
        if (dtype is not (DType.F32 or DType.BF16 or DType.F16))
        {
            throw new NotSupportedException($"Random weights are float tensors; {dtype} was asked for '{name}'.");
        }

        if (backend is MetaBackend || shape.ElementCount == 0)
        {
            return Tensor.Empty(backend, shape, dtype);
        }

        Storage storage = backend.Allocate(shape.ElementCount * dtype.ElementSize());
        Tensor tensor = Tensor.FromStorage(storage, new Layout(shape), dtype);

        (double mean, double std) = SyntheticWeights.Distribution(name, shape);

        // Uniform on [mean − √3·std, mean + √3·std) has the given mean and standard deviation.
        float low = (float)(mean - (Math.Sqrt(3) * std));
        float width = (float)(2 * Math.Sqrt(3) * std);
        ulong nameSeed = seed ^ SyntheticWeights.Fnv1a(name);
        long count = shape.ElementCount;
        try
        {
            FillChunks(tensor.DType, storage, backend, count, nameSeed, low, width);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }

        return tensor;
    }

    private static void FillChunks(DType dtype, Storage storage, IBackend backend, long count, ulong nameSeed, float low, float width)
    {
        long chunks = (count + ChunkElements - 1) / ChunkElements;
        int elementSize = dtype.ElementSize();
        Parallel.For(0, chunks, chunk =>
        {
            long first = chunk * ChunkElements;
            int n = (int)Math.Min(ChunkElements, count - first);
            float[] values = ArrayPool<float>.Shared.Rent(n);
            byte[] bytes = ArrayPool<byte>.Shared.Rent(n * elementSize);
            try
            {
                Fill(values.AsSpan(0, n), nameSeed + (ulong)chunk * 0x9E37_79B9_7F4A_7C15UL, low, width);
                Span<byte> encoded = bytes.AsSpan(0, n * elementSize);
                Encode(values.AsSpan(0, n), dtype, encoded);
                backend.Upload(encoded, storage, first * elementSize);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
                ArrayPool<byte>.Shared.Return(bytes);
            }
        });
    }

    /// <summary>xorshift64* → the top 24 bits as a uniform float in [0, 1), scaled to [low, low + width).</summary>
    private static void Fill(Span<float> values, ulong seed, float low, float width)
    {
        ulong state = seed | 1;
        const float unit = 1f / (1 << 24);
        for (int i = 0; i < values.Length; i++)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            ulong r = state * 0x2545_F491_4F6C_DD1DUL;
            values[i] = low + (width * ((r >> 40) * unit));
        }
    }

    private static void Encode(ReadOnlySpan<float> values, DType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case DType.F32:
                MemoryMarshal.AsBytes(values).CopyTo(destination);
                break;
            case DType.BF16:
                DTypeConversion.Narrow(values, MemoryMarshal.Cast<byte, BFloat16>(destination));
                break;
            default:
                Span<Half> halves = MemoryMarshal.Cast<byte, Half>(destination);
                for (int i = 0; i < values.Length; i++)
                {
                    halves[i] = (Half)values[i];
                }

                break;
        }
    }
}
