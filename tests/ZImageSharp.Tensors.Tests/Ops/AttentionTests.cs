using ZImageSharp.Cpu;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class AttentionTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    /// <summary>(batch, hq, hkv, sq, sk, d, dv, causal, masked). Query blocks hold 96 queries and score tiles 192 keys,
    /// so the larger cases run several blocks of each with ragged last blocks.</summary>
    public static TheoryData<int, int, int, int, int, int, int, bool, bool> Cases() => new()
    {
        { 1, 1, 1, 1, 1, 1, 1, false, false },
        { 1, 2, 2, 5, 7, 7, 7, false, false },
        { 2, 4, 2, 33, 50, 64, 64, false, true },      // GQA, key mask, f32 V read in place (Dv multiple of NR)
        { 1, 2, 1, 130, 130, 16, 24, true, false },    // causal, Sq = Sk past one query block
        { 1, 1, 1, 100, 250, 8, 5, false, false },     // Sk past one score tile, Dv not a multiple of anything
        { 1, 2, 2, 40, 60, 9, 9, true, true },         // causal with Sq < Sk (top-left aligned)
        { 1, 1, 1, 60, 40, 9, 9, true, false },        // causal with Sq > Sk
        { 2, 4, 1, 17, 17, 128, 128, true, true },     // Qwen-like: 4 query heads per kv head
        { 1, 3, 3, 9, 200, 1, 3, false, true },        // head dim 1
        { 1, 1, 1, 2, 0, 4, 4, false, false },         // no keys at all: zero rows
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Attention_F32_MatchesNaive(int batch, int hq, int hkv, int sq, int sk, int d, int dv, bool causal, bool masked)
    {
        using Tensor q = TestData.Random(Cpu, new Shape(batch, hq, sq, d), DType.F32, seed: 1);
        using Tensor k = TestData.Random(Cpu, new Shape(batch, hkv, sk, d), DType.F32, seed: 2);
        using Tensor v = TestData.Random(Cpu, new Shape(batch, hkv, sk, dv), DType.F32, seed: 3);
        byte[]? mask = masked ? Mask(batch, sk, seed: 4) : null;
        Check(q, k, v, mask, causal, DType.F32);
    }

    [Theory]
    [InlineData(DType.BF16, DType.BF16)]
    [InlineData(DType.F16, DType.F16)]
    [InlineData(DType.F32, DType.BF16)]
    public void Attention_DTypes_MatchNaive(DType queryType, DType keyValueType)
    {
        using Tensor q = TestData.Random(Cpu, new Shape(1, 2, 50, 32), queryType, seed: 5);
        using Tensor k = TestData.Random(Cpu, new Shape(1, 2, 70, 32), keyValueType, seed: 6);
        using Tensor v = TestData.Random(Cpu, new Shape(1, 2, 70, 32), keyValueType, seed: 7);
        Check(q, k, v, Mask(1, 70, seed: 8), causal: true, queryType);
    }

    [Fact]
    public void Attention_MaskHidingEveryKey_GivesZeroRows()
    {
        // Batch 0 hides all keys; in batch 1 causal + a hidden key 0 leave query 0 with nothing to see.
        using Tensor q = TestData.Random(Cpu, new Shape(2, 2, 6, 8), DType.F32, seed: 1);
        using Tensor k = TestData.Random(Cpu, new Shape(2, 2, 6, 8), DType.F32, seed: 2);
        using Tensor v = TestData.Random(Cpu, new Shape(2, 2, 6, 8), DType.F32, seed: 3);
        byte[] mask = [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1];
        using Tensor y = Check(q, k, v, mask, causal: true, DType.F32);
        float[] values = y.ToFloatArray();
        Assert.All(values.AsSpan(0, 2 * 6 * 8).ToArray(), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Attention_PermutedAndPaddedInputs_MatchNaive()
    {
        // The model's layout: projections stored [B, S, H, D] and viewed as [B, H, S, D]; k with padded rows.
        using Tensor qs = TestData.Random(Cpu, new Shape(2, 37, 3, 16), DType.F32, seed: 1);
        using Tensor q = qs.Transpose(1, 2);
        using Tensor ks = TestData.Random(Cpu, new Shape(2, 3, 41, 16), DType.BF16, seed: 2);
        using Tensor k = TestData.PaddedRows(ks);
        using Tensor vs = TestData.Random(Cpu, new Shape(2, 41, 3, 16), DType.F32, seed: 3);
        using Tensor v = vs.Transpose(1, 2);
        Check(q, k, v, null, causal: false, DType.F32);
    }

    [Fact]
    public void Kernel_DirectCall_PermutedDestination_WritesOnlyItsRows()
    {
        // Destination [B, Hq, Sq, Dv] viewed over [B, Sq, Hq, Dv] storage; the guards surround that whole storage.
        const int b = 2, hq = 4, hkv = 2, sq = 21, sk = 30, d = 12, dv = 10;
        using Tensor q = TestData.Random(Cpu, new Shape(b, hq, sq, d), DType.BF16, seed: 1);
        using Tensor k = TestData.Random(Cpu, new Shape(b, hkv, sk, d), DType.BF16, seed: 2);
        using Tensor v = TestData.Random(Cpu, new Shape(b, hkv, sk, dv), DType.BF16, seed: 3);
        byte[] maskValues = Mask(b, sk, seed: 4);
        using Tensor mask = Tensor.From<byte>(Cpu, maskValues, b, sk);
        using var guarded = GuardedOutput.Create(Cpu, new Shape(b, sq, hq, dv), DType.BF16);
        using Tensor destination = guarded.Destination.Transpose(1, 2);
        float scale = 1f / MathF.Sqrt(d);
        Cpu.Kernels.Attention(q.ToRef(), k.ToRef(), v.ToRef(), mask.ToRef(), causal: true, scale, destination.ToRef());
        guarded.AssertGuardsIntact();
        var expected = NaiveOps.Attention(HostTensor.FromTensor(q), HostTensor.FromTensor(k), HostTensor.FromTensor(v), maskValues, causal: true, scale);
        TensorAssert.Close(expected, destination, Tolerances.Product(DType.BF16));
    }

    /// <summary>A random 0/1 key mask (about one key in four hidden).</summary>
    internal static byte[] Mask(int batch, int keys, int seed)
    {
        var random = new Random(seed);
        var mask = new byte[batch * keys];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.Next(4) == 0 ? (byte)0 : (byte)1;
        }

        return mask;
    }

    private static Tensor Check(Tensor q, Tensor k, Tensor v, byte[]? mask, bool causal, DType output)
    {
        using Tensor? maskTensor = mask is null ? null : Tensor.From<byte>(Cpu, mask, q.Shape[0], k.Shape[2]);
        Tensor y = ZImageSharp.Tensors.Ops.Attention(q, k, v, maskTensor, causal);
        Assert.Equal(output, y.DType);
        double scale = 1.0 / Math.Sqrt(q.Shape[3]);
        var expected = NaiveOps.Attention(HostTensor.FromTensor(q), HostTensor.FromTensor(k), HostTensor.FromTensor(v), mask, causal, (float)scale);
        TensorAssert.Close(expected, y, Tolerances.Product(output));
        return y;
    }
}
