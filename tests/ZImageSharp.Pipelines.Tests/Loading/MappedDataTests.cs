using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Pipelines.Loading;
using ZImageSharp.Pipelines.Tests.Loading.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Tests.Loading;

/// <summary>Real bytes through the Z-Image mappings: split qkv rows and squeezed 1×1 conv weights equal the expected parts.</summary>
public sealed class MappedDataTests : IDisposable
{
    private const int Dim = 8;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ComfyTransformer_FusedQkvRows_AreQThenKThenV()
    {
        float[] qkv = Random(3 * Dim * Dim, seed: 11);
        float[] out0 = Random(Dim * Dim, seed: 12);
        var writer = new SafetensorsWriter();
        const string p = "model.diffusion_model.";
        writer.Add(p + "cap_embedder.1.weight", SafetensorsDType.F32, [Dim, 4], Bytes(Random(Dim * 4, 13)));
        writer.Add(p + "noise_refiner.0.attention.k_norm.weight", SafetensorsDType.F32, [2], Bytes(Random(2, 14)));
        writer.Add(p + "layers.0.attention.qkv.weight", SafetensorsDType.F32, [3 * Dim, Dim], Bytes(qkv));
        writer.Add(p + "layers.0.attention.out.weight", SafetensorsDType.F32, [Dim, Dim], Bytes(out0));
        string file = _dir.Sub("z.safetensors");
        writer.Save(file);

        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Inspect(file);
        ZImageComponent transformer = checkpoint.Find(ZImageComponentKind.Transformer)!;
        string[] parts = ["to_q", "to_k", "to_v"];
        for (int i = 0; i < 3; i++)
        {
            using Tensor t = transformer.Source.ReadTensor($"layers.0.attention.{parts[i]}.weight", CpuBackend.Default);
            Assert.Equal(new Shape(Dim, Dim), t.Shape);
            Assert.Equal(qkv[(i * Dim * Dim)..((i + 1) * Dim * Dim)], t.ToArray<float>());
        }

        using Tensor o = transformer.Source.ReadTensor("layers.0.attention.to_out.0.weight", CpuBackend.Default);
        Assert.Equal(out0, o.ToArray<float>());
        using Tensor bf16 = transformer.Source.ReadTensor("layers.0.attention.to_k.weight", CpuBackend.Default, DType.BF16);
        Assert.Equal(qkv[(Dim * Dim)..(2 * Dim * Dim)].Select(RoundToBf16), bf16.ToFloatArray());
    }

    [Fact]
    public void BflVae_AttentionConvWeights_AreTheSameValuesAsLinearWeights()
    {
        var writer = new SafetensorsWriter();
        var expected = new Dictionary<string, float[]>();
        writer.Add("decoder.conv_in.weight", SafetensorsDType.F32, [Dim, 2, 3, 3], Bytes(Random(Dim * 2 * 9, 20)));
        string[] bfl = ["q", "k", "v", "proj_out"];
        string[] diffusers = ["to_q", "to_k", "to_v", "to_out.0"];
        for (int i = 0; i < 4; i++)
        {
            float[] w = Random(Dim * Dim, 21 + i);
            writer.Add($"decoder.mid.attn_1.{bfl[i]}.weight", SafetensorsDType.F32, [Dim, Dim, 1, 1], Bytes(w));
            expected[$"decoder.mid_block.attentions.0.{diffusers[i]}.weight"] = w;
        }

        float[] bias = Random(Dim, 30);
        writer.Add("decoder.mid.attn_1.q.bias", SafetensorsDType.F32, [Dim], Bytes(bias));
        string file = _dir.Sub("ae.safetensors");
        writer.Save(file);

        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Inspect(file);
        ZImageComponent vae = checkpoint.Find(ZImageComponentKind.Vae)!;
        Assert.Equal(CheckpointFormat.Bfl, vae.Format);
        foreach ((string name, float[] values) in expected)
        {
            using Tensor t = vae.Source.ReadTensor(name, CpuBackend.Default);
            Assert.Equal(new Shape(Dim, Dim), t.Shape);
            Assert.Equal(values, t.ToArray<float>());
        }

        using Tensor b = vae.Source.ReadTensor("decoder.mid_block.attentions.0.to_q.bias", CpuBackend.Default);
        Assert.Equal(bias, b.ToArray<float>());
    }

    private static float RoundToBf16(float v)
    {
        // Round to nearest even, as the loader's f32 → bf16 conversion does.
        uint bits = BitConverter.SingleToUInt32Bits(v);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000);
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    private static byte[] Bytes(float[] values) => [.. values.SelectMany(BitConverter.GetBytes)];
}
