using System.Buffers.Binary;
using System.Text.Json;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.IO.Tests.Checkpoints;

/// <summary>The golden fixtures written by the Python reference (the real <c>safetensors</c> library).</summary>
public sealed class FixtureCheckpointTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    /// <summary>Counts come from an independent parse of the file and, where the fixture states it, from its cases.json
    /// (the shipped sets: 101 / 196 / 46 tensors), so another fixture set of the same layout passes too.</summary>
    [Theory]
    [InlineData("dit-tiny", SafetensorsDType.F32, "ZImageTransformer2DModel")]
    [InlineData("vae-tiny", SafetensorsDType.F32, "AutoencoderKL")]
    [InlineData("qwen3-tiny", SafetensorsDType.BF16, "Qwen3Model")]
    public void Open_TinyModel_HasTheDocumentedTensorsAndParameters(string model, SafetensorsDType dtype, string className)
    {
        string path = Fixtures.Path(model, "model.safetensors");
        IReadOnlyList<Testing.Checkpoints.RawTensorEntry> entries = Testing.Checkpoints.IndependentHeader.Entries(path);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal(entries.Count, file.Names.Count);
        Assert.Equal(entries.Sum(e => e.Elements), file.Tensors.Sum(t => t.ElementCount));
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllText(Fixtures.Path(model, "cases.json")));
        if (cases.RootElement.TryGetProperty("param_count", out JsonElement stated))
        {
            Assert.Equal(stated.GetInt64(), file.Tensors.Sum(t => t.ElementCount));
        }

        Assert.All(file.Tensors, t => Assert.Equal(dtype, t.DType));
        Assert.StartsWith(className, file.Metadata["class"]);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void ReadTensor_DitTiny_EveryTensorEqualsAnIndependentParseOfTheFile()
    {
        string path = Fixtures.Path("dit-tiny", "model.safetensors");
        Dictionary<string, (long Begin, long End)> expected = IndependentOffsets(path, out byte[] bytes, out long dataStart);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), file.Names);
        foreach (string name in file.Names)
        {
            using Tensor t = file.ReadTensor(name, Cpu);
            (long begin, long end) = expected[name];
            float[] values = t.ToArray<float>();
            for (int i = 0; i < values.Length; i++)
            {
                float reference = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(dataStart + begin + (4 * i))));
                Assert.Equal(reference, values[i]);
            }

            Assert.Equal((end - begin) / 4, values.Length);
        }
    }

    [Fact]
    public void ReadTensor_DitTinyCase_IntegerAndMaskTensorsLoad()
    {
        // The fixture's first case, whatever it is: caption token j sits at (1 + j, 0, 0), padding fills up to the padded length.
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("dit-tiny", "cases.json")));
        JsonElement first = cases.RootElement.GetProperty("cases")[0];
        int length = first.GetProperty("cap_lens")[0].GetInt32();
        int padded = first.GetProperty("cap_seqlens_padded")[0].GetInt32();
        using SafetensorsFile file = SafetensorsFile.Open(Fixtures.Path("dit-tiny", first.GetProperty("file").GetString()!));
        using Tensor positions = file.ReadTensor("inter.cap_pos_ids.0", Cpu);
        Assert.Equal(DType.I32, positions.DType);
        Assert.Equal(new Shape(padded, 3), positions.Shape);
        int[] ids = positions.ToArray<int>();
        Assert.Equal([1, 0, 0, 2, 0, 0], ids[..6]);

        using Tensor mask = file.ReadTensor("inter.cap_pad_mask.0", Cpu);
        Assert.Equal(DType.U8, mask.DType);
        Assert.Equal(padded - length, mask.ToArray<byte>().Count(b => b == 1));
    }

    [Fact]
    public void ReadTensor_Qwen3TinyBF16_LoadsAsBF16OrWidenedF32()
    {
        using SafetensorsFile file = SafetensorsFile.Open(Fixtures.Path("qwen3-tiny", "model.safetensors"));
        using Tensor bf16 = file.ReadTensor("model.embed_tokens.weight", Cpu);
        using Tensor f32 = file.ReadTensor("model.embed_tokens.weight", Cpu, DType.F32);
        Assert.Equal(DType.BF16, bf16.DType);
        Assert.Equal(new Shape(2048, 64), f32.Shape);
        Assert.Equal(bf16.ToFloatArray(), f32.ToArray<float>());
    }

    [Fact]
    public void WeightMap_DitTinyLoadedFromItsConfig_ConsumesEveryTensorStrictly()
    {
        // Shapes come from config.json and the architecture (spec 2.2), not from the file: a real strict load.
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("dit-tiny", "config.json")));
        int dim = config.RootElement.GetProperty("dim").GetInt32();
        int heads = config.RootElement.GetProperty("n_heads").GetInt32();
        int cap = config.RootElement.GetProperty("cap_feat_dim").GetInt32();
        int layers = config.RootElement.GetProperty("n_layers").GetInt32();
        int refiners = config.RootElement.GetProperty("n_refiner_layers").GetInt32();
        int ffn = (int)(dim / 3.0 * 8);
        int adaLn = Math.Min(dim, 256);
        const int patch = 2 * 2 * 16;

        using SafetensorsFile file = SafetensorsFile.Open(Fixtures.Path("dit-tiny", "model.safetensors"));
        var weights = new WeightMap(file, Cpu);
        var loaded = new List<Tensor>();
        void Get(WeightMap map, string name, params int[] shape) => loaded.Add(map.Get(name, new Shape(shape)));

        void Block(WeightMap b, bool modulated)
        {
            foreach (string proj in new[] { "to_q", "to_k", "to_v", "to_out.0" })
            {
                Get(b.Sub("attention"), proj + ".weight", dim, dim);
            }

            Get(b, "attention.norm_q.weight", dim / heads);
            Get(b, "attention.norm_k.weight", dim / heads);
            foreach (string norm in new[] { "attention_norm1", "attention_norm2", "ffn_norm1", "ffn_norm2" })
            {
                Get(b, norm + ".weight", dim);
            }

            Get(b, "feed_forward.w1.weight", ffn, dim);
            Get(b, "feed_forward.w2.weight", dim, ffn);
            Get(b, "feed_forward.w3.weight", ffn, dim);
            if (modulated)
            {
                Get(b, "adaLN_modulation.0.weight", 4 * dim, adaLn);
                Get(b, "adaLN_modulation.0.bias", 4 * dim);
            }
        }

        try
        {
            for (int i = 0; i < layers; i++)
            {
                Block(weights.Sub($"layers.{i}"), modulated: true);
            }

            for (int i = 0; i < refiners; i++)
            {
                Block(weights.Sub($"noise_refiner.{i}"), modulated: true);
                Block(weights.Sub($"context_refiner.{i}"), modulated: false);
            }

            Get(weights, "all_x_embedder.2-1.weight", dim, patch);
            Get(weights, "all_x_embedder.2-1.bias", dim);
            Get(weights, "all_final_layer.2-1.adaLN_modulation.1.weight", dim, adaLn);
            Get(weights, "all_final_layer.2-1.adaLN_modulation.1.bias", dim);
            Get(weights, "all_final_layer.2-1.linear.weight", patch, dim);
            Get(weights, "all_final_layer.2-1.linear.bias", patch);
            Get(weights, "cap_embedder.0.weight", cap);
            Get(weights, "cap_embedder.1.weight", dim, cap);
            Get(weights, "cap_embedder.1.bias", dim);
            Get(weights, "t_embedder.mlp.0.weight", 1024, 256);
            Get(weights, "t_embedder.mlp.0.bias", 1024);
            Get(weights, "t_embedder.mlp.2.weight", adaLn, 1024);
            Get(weights, "t_embedder.mlp.2.bias", adaLn);
            Get(weights, "x_pad_token", 1, dim);
            Get(weights, "cap_pad_token", 1, dim);

            weights.ThrowIfUnused();
            // Per modulated block 15 tensors, per context-refiner block 13, 15 outside the blocks (101 for the shipped set).
            Assert.Equal(((layers + refiners) * 15) + (refiners * 13) + 15, loaded.Count);
            Assert.True(weights.Report().IsExact);
        }
        finally
        {
            loaded.ForEach(t => t.Dispose());
        }
    }

    private static Dictionary<string, (long Begin, long End)> IndependentOffsets(string path, out byte[] bytes, out long dataStart)
    {
        bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        dataStart = 8 + headerLength;
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var result = new Dictionary<string, (long, long)>();
        foreach (JsonProperty p in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            JsonElement offsets = p.Value.GetProperty("data_offsets");
            result[p.Name] = (offsets[0].GetInt64(), offsets[1].GetInt64());
        }

        return result;
    }
}
