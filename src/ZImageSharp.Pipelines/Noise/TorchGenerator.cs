using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Noise;

/// <summary>
/// PyTorch's CPU random generator (<c>torch.Generator("cpu").manual_seed(seed)</c>) and its float32
/// <c>torch.randn</c>: the same seed gives the same numbers, so a seed reproduces the reference pipeline's initial
/// noise when that pipeline was given a CPU generator.
/// </summary>
/// <remarks>
/// <para>Semantics followed: PyTorch 1.13 on x86-64, the version that made the fixtures (<c>CPUGeneratorImpl</c>
/// with <c>at::mt19937</c>; <c>normal_kernel</c> in <c>aten/src/ATen/native/cpu/DistributionTemplates.h</c>;
/// <c>normal_distribution</c> and <c>uniform_real_distribution</c> in <c>aten/src/ATen/core/DistributionsHelper.h</c>
/// and <c>TransformationHelper.h</c>), written from those algorithms. Later versions compute the small-count path's
/// log(1 − u) as log1p(−u), a double-precision difference that practically never changes the float result.</para>
/// <list type="bullet">
/// <item>The engine is MT19937 seeded with the low 32 bits of the 64-bit seed (<see cref="Mt19937"/>); a negative
/// Python seed is its two's-complement <see cref="ulong"/>.</item>
/// <item>Fewer than 16 values: each value is a double-precision normal by the Box-Muller transform (G. E. P. Box and
/// M. E. Muller, 1958) of two 53-bit uniforms (each from two engine words); the pair's second value (r·sin θ) is
/// cached in the generator and is the next value drawn this way, even in a later call. The result is rounded to
/// float32.</item>
/// <item>16 values or more: one 24-bit float uniform per element is drawn first; then every complete chunk of 16 is
/// turned into normals by float32 Box-Muller (element j and j + 8 form a pair); when the count is not a multiple of
/// 16, the last 16 elements are redrawn from fresh uniforms and transformed again, overwriting the overlap. This
/// path neither reads nor clears the cached normal.</item>
/// </list>
/// <para>The chunk transform is the one x86-64 PyTorch runs when its CPU dispatch is AVX2
/// (<c>normal_fill_16_AVX2</c>, see <see cref="BoxMuller16"/>); it matches PyTorch 1.13 bit for bit on every value of
/// the torch-rng fixture. PyTorch runs that take the portable loop instead (non-x86 builds,
/// <c>ATEN_CPU_CAPABILITY=default</c>) use libm's float log/sin/cos there: on the same fixture about 4 values in 10
/// then differ in the last bits (|Δ| ≤ 2.5e-6). The integer stream is identical everywhere, and the small-count path
/// computes in double precision, so its float results do not depend on the platform in practice.
/// Not thread-safe: use one generator per thread (PyTorch locks its generator per call).</para>
/// </remarks>
public sealed class TorchGenerator
{
    // From this count on torch.randn fills in float32 chunks; below it, value by value in double precision.
    private const int ChunkSize = BoxMuller16.Size;

    private readonly Mt19937 _engine;

    // PyTorch's next_double_normal_sample_: the unused r·sin(θ) of the last double Box-Muller pair.
    private double? _cachedNormal;

    /// <summary>A generator seeded like <c>torch.Generator().manual_seed(seed)</c>.</summary>
    public TorchGenerator(ulong seed)
    {
        _engine = new Mt19937(unchecked((uint)seed));
        InitialSeed = seed;
    }

    /// <summary>The seed given to the constructor or the last <see cref="ManualSeed"/> (<c>initial_seed()</c>).</summary>
    public ulong InitialSeed { get; private set; }

    /// <summary>Re-seeds like <c>manual_seed(seed)</c>: a fresh engine state and no cached normal.</summary>
    public void ManualSeed(ulong seed)
    {
        // Only the low 32 bits reach MT19937 (at::mt19937 seeds with seed & 0xffffffff), so seeds 5 and 2^40 + 5
        // give the same stream.
        _engine.Seed(unchecked((uint)seed));
        _cachedNormal = null;
        InitialSeed = seed;
    }

    /// <summary>Standard-normal float32 values, exactly as <c>torch.randn(count, generator=g)</c> draws them.</summary>
    /// <remarks>Consecutive calls continue the stream as consecutive <c>torch.randn</c> calls on one generator do.</remarks>
    public float[] Randn(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.MaxLength);
        var values = new float[count];
        if (count < ChunkSize)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)NextNormalDouble();
            }
        }
        else
        {
            FillNormalChunks(values);
        }

        return values;
    }

    /// <summary>A float32 tensor of standard-normal values in row-major order, like <c>torch.randn(shape, generator=g)</c>.</summary>
    public Tensor Randn(IBackend backend, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return Tensor.From<float>(backend, Randn(shape.ElementCount), shape);
    }

    /// <summary>The next 32-bit engine word (<c>CPUGeneratorImpl::random()</c>).</summary>
    internal uint NextUInt32() => _engine.Next();

    /// <summary>Two engine words, the first one high (<c>CPUGeneratorImpl::random64()</c>).</summary>
    internal ulong NextUInt64()
    {
        ulong high = _engine.Next();
        ulong low = _engine.Next();
        return (high << 32) | low;
    }

    /// <summary>A uniform float in [0, 1): the low 24 bits of one word times 2⁻²⁴ (exact in float32).</summary>
    internal float NextUniformFloat() => (NextUInt32() & 0xFFFFFF) * (1f / (1 << 24));

    /// <summary>A uniform double in [0, 1): the low 53 bits of a 64-bit draw times 2⁻⁵³.</summary>
    internal double NextUniformDouble() => (NextUInt64() & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    /// <summary>One double Box-Muller normal (<c>at::normal_distribution&lt;double&gt;</c>), using the cache first.</summary>
    internal double NextNormalDouble()
    {
        if (_cachedNormal is double cached)
        {
            _cachedNormal = null;
            return cached;
        }

        double u1 = NextUniformDouble();
        double u2 = NextUniformDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        _cachedNormal = radius * Math.Sin(theta);
        return radius * Math.Cos(theta);
    }

    // normal_fill: all uniforms first, then 16-value chunks; a ragged end redraws and re-transforms the last 16.
    private void FillNormalChunks(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = NextUniformFloat();
        }

        for (int start = 0; start + ChunkSize <= values.Length; start += ChunkSize)
        {
            BoxMuller16.Transform(values.Slice(start, ChunkSize));
        }

        if (values.Length % ChunkSize != 0)
        {
            Span<float> tail = values[^ChunkSize..];
            for (int i = 0; i < tail.Length; i++)
            {
                tail[i] = NextUniformFloat();
            }

            BoxMuller16.Transform(tail);
        }
    }
}
