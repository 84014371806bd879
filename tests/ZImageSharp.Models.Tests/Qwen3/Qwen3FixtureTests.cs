using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.Qwen3;

/// <summary>The Qwen3 stack against qwen3-tiny/: every hidden state, and the Z-Image caption features.</summary>
public sealed class Qwen3FixtureTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(Fixtures.Path("qwen3-tiny", "model.safetensors"));
    private readonly SafetensorsFile _case = SafetensorsFile.Open(Fixtures.Path("qwen3-tiny", "case_batch2.safetensors"));
    private readonly Qwen3Config _config = Qwen3Config.Load(Fixtures.Path("qwen3-tiny", "config.json"));

    public void Dispose()
    {
        _weights.Dispose();
        _case.Dispose();
    }

    [Fact]
    public void FullModel_AllHiddenStates_MatchOnRealTokens()
    {
        using Qwen3Model model = Qwen3Model.Load(new WeightMap(_weights, Cpu), _config);
        using Tensor ids = _case.ReadTensor("input.input_ids", Cpu);
        using Tensor mask64 = _case.ReadTensor("input.attention_mask", Cpu);
        using Tensor mask = Ops.Cast(mask64, DType.U8);
        var states = new List<Tensor>();
        using Tensor last = model.Forward(ids, mask, DType.F32, states);
        Assert.Equal(_config.NumHiddenLayers + 1, states.Count);
        long[] lengths = mask64.ToArray<long>().Chunk(ids.Shape[1]).Select(r => r.Sum()).ToArray();
        for (int i = 0; i < states.Count; i++)
        {
            using Tensor expected = _case.ReadTensor($"output.hidden_states.{i}", Cpu);
            for (int b = 0; b < lengths.Length; b++)
            {
                using Tensor e = expected.Select(0, b).Narrow(0, 0, (int)lengths[b]);
                using Tensor a = states[i].Select(0, b).Narrow(0, 0, (int)lengths[b]);
                TensorAssert.Close(e, a, ReferenceTolerance.F32, $"hidden_states[{i}] item {b}");
            }

            states[i].Dispose();
        }
    }

    [Fact]
    public void ZImageEncoder_PromptEmbeds_MatchAndSkipTheLastLayer()
    {
        using ZImageTextEncoder encoder = ZImageTextEncoder.Load(new WeightMap(_weights, Cpu), _config);
        Assert.Equal(_config.NumHiddenLayers - 1, encoder.LayerCount);
        using Tensor ids = _case.ReadTensor("input.input_ids", Cpu);
        using Tensor mask = _case.ReadTensor("input.attention_mask", Cpu);
        long[] flatIds = ids.ToArray<long>();
        long[] flatMask = mask.ToArray<long>();
        int length = ids.Shape[1];
        var prompts = new List<int[]>();
        for (int b = 0; b < ids.Shape[0]; b++)
        {
            int valid = (int)flatMask.Skip(b * length).Take(length).Sum();
            prompts.Add(flatIds.Skip(b * length).Take(valid).Select(v => (int)v).ToArray());
        }

        IReadOnlyList<Tensor> embeds = encoder.Encode(Cpu, prompts);
        for (int b = 0; b < prompts.Count; b++)
        {
            using Tensor expected = _case.ReadTensor($"output.prompt_embeds.{b}", Cpu);
            TensorAssert.Close(expected, embeds[b], ReferenceTolerance.F32, $"prompt_embeds[{b}]");
            embeds[b].Dispose();
        }

        // Alone, a prompt gives the same features as inside the padded batch.
        IReadOnlyList<Tensor> single = encoder.Encode(Cpu, [prompts[1]]);
        using Tensor expectedSingle = _case.ReadTensor("output.prompt_embeds.1", Cpu);
        TensorAssert.Close(expectedSingle, single[0], ReferenceTolerance.F32, "prompt_embeds[1] alone");
        single[0].Dispose();
    }

    [Fact]
    public void Checkpoint_WithoutModelPrefix_LoadsTheSameWeights()
    {
        // Qwen3Model.state_dict() names lack "model."; rewrite the fixture that way and compare the outputs.
        string path = Path.Combine(Path.GetTempPath(), $"zimage-qwen3-noprefix-{Environment.ProcessId}.safetensors");
        try
        {
            var writer = new SafetensorsWriter();
            var loaded = new List<Tensor>();
            foreach (string name in _weights.Names)
            {
                Tensor t = _weights.ReadTensor(name, Cpu);
                loaded.Add(t);
                writer.Add(name["model.".Length..], t);
            }

            writer.Save(path);
            loaded.ForEach(t => t.Dispose());
            using SafetensorsFile renamed = SafetensorsFile.Open(path);
            using ZImageTextEncoder a = ZImageTextEncoder.Load(new WeightMap(renamed, Cpu), _config);
            using ZImageTextEncoder b = ZImageTextEncoder.Load(new WeightMap(_weights, Cpu), _config);
            int[] prompt = [1, 5, 9, 200, 7];
            using Tensor ea = a.Encode(Cpu, [prompt])[0];
            using Tensor eb = b.Encode(Cpu, [prompt])[0];
            TensorAssert.Close(eb, ea, Tolerance.Exact);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MetaBackend_BuildsAndRunsTheModelWithoutData()
    {
        using Qwen3Model model = Qwen3Model.Load(new WeightMap(_weights, MetaBackend.Instance), _config);
        using Tensor ids = Tensor.Empty(MetaBackend.Instance, new Shape(2, 7), DType.I32);
        using Tensor output = model.Forward(ids, keyMask: null);
        Assert.Equal(new Shape(2, 7, _config.HiddenSize), output.Shape);
        Assert.Throws<NotSupportedException>(() => output.ToFloatArray());
    }

    [Fact]
    public void RopeTables_MatchReference()
    {
        var (cos, sin) = Qwen3Rope.Tables(Cpu, 21, _config.HeadDim, _config.RopeTheta);
        using (cos)
        using (sin)
        {
            using Tensor refCos = _case.ReadTensor("inter.rope_cos", Cpu);
            using Tensor refSin = _case.ReadTensor("inter.rope_sin", Cpu);
            int half = _config.HeadDim / 2;
            using Tensor c = refCos.Narrow(-1, 0, half);
            using Tensor s = refSin.Narrow(-1, 0, half);
            var tight = new Tolerance(1e-6, 0, 1e-12);
            TensorAssert.Close(c, cos, tight, "cos");
            TensorAssert.Close(s, sin, tight, "sin");
        }
    }

    [Fact]
    public void Config_MissingField_IsNamed()
    {
        var e = Assert.Throws<ConfigException>(() => Qwen3Config.Parse("{\"hidden_size\": 64}", "te/config.json"));
        Assert.Contains("te/config.json", e.Message);
        Assert.Contains("num_attention_heads", e.Message);
    }

    [Fact]
    public void Load_WrongShape_NamesTheTensor()
    {
        Qwen3Config wrong = _config with { IntermediateSize = 100 };
        var e = Assert.Throws<IO.Checkpoints.CheckpointException>(() => Qwen3Model.Load(new WeightMap(_weights, Cpu), wrong));
        Assert.Contains("model.layers.0.mlp.gate_proj.weight", e.Message);
        Assert.Contains("[100, 64]", e.Message);
    }
}
