using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Vae;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>Strict loading of vae-tiny/model.safetensors, decoder-only loading, checkpoint errors and BF16 weights.</summary>
public sealed class VaeLoadTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(Fixtures.Path("vae-tiny", "model.safetensors"));
    private readonly AutoencoderKlConfig _config = AutoencoderKlConfig.Load(Fixtures.Path("vae-tiny", "config.json"));

    public void Dispose() => _weights.Dispose();

    [Fact]
    public void Load_UsesEveryTensor()
    {
        var map = new WeightMap(_weights, Cpu);
        using AutoencoderKl vae = AutoencoderKl.Load(map, _config);
        Assert.NotNull(vae.Encoder);
        Assert.Empty(map.UnusedNames());
    }

    [Fact]
    public void Load_WithoutEncoder_SkipsItOnPurposeAndDecodesTheSame()
    {
        var map = new WeightMap(_weights, Cpu);
        using AutoencoderKl decoderOnly = AutoencoderKl.Load(map, _config, loadEncoder: false);
        using AutoencoderKl full = AutoencoderKl.Load(new WeightMap(_weights, Cpu), _config);
        Assert.Null(decoderOnly.Encoder);
        Assert.Empty(map.UnusedNames());

        using Tensor z = LatentInput(1);
        using Tensor a = decoderOnly.Decode(z);
        using Tensor b = full.Decode(z);
        TensorAssert.Close(b, a, Tolerance.Exact);
        using Tensor image = Tensor.Zeros(Cpu, new Shape(1, _config.InChannels, 8, 8));
        Assert.Throws<InvalidOperationException>(() => decoderOnly.Encode(image));
    }

    [Fact]
    public void Load_ExtraTensor_IsReportedByName()
    {
        string path = TempPath("extra");
        try
        {
            var writer = new SafetensorsWriter();
            var loaded = _weights.Names.Select(n => (n, t: _weights.ReadTensor(n, Cpu))).ToList();
            loaded.ForEach(p => writer.Add(p.n, p.t));
            using Tensor extra = Tensor.Zeros(Cpu, new Shape(4));
            writer.Add("decoder.mid_block.extra.bias", extra);
            writer.Save(path);
            loaded.ForEach(p => p.t.Dispose());

            using SafetensorsFile file = SafetensorsFile.Open(path);
            var e = Assert.Throws<CheckpointException>(() => AutoencoderKl.Load(new WeightMap(file, Cpu), _config));
            Assert.Contains("decoder.mid_block.extra.bias", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WrongShape_NamesTheTensor()
    {
        AutoencoderKlConfig wrong = _config with { LatentChannels = _config.LatentChannels + 1 };
        var e = Assert.Throws<CheckpointException>(() => AutoencoderKl.Load(new WeightMap(_weights, Cpu), wrong, loadEncoder: false));
        Assert.Contains("decoder.conv_in.weight", e.Message);
        Assert.Contains($"[{_config.BlockOutChannels[^1]}, {wrong.LatentChannels}, 3, 3]", e.Message);
    }

    [Fact]
    public void Decode_WrongLatentChannels_IsAShapeError()
    {
        using AutoencoderKl vae = AutoencoderKl.Load(new WeightMap(_weights, Cpu), _config, loadEncoder: false);
        using Tensor z = Tensor.Zeros(Cpu, new Shape(1, _config.LatentChannels + 1, 4, 4));
        var e = Assert.Throws<ShapeMismatchException>(() => vae.Decode(z));
        Assert.Contains("vae.decode", e.Message);
    }

    [Fact]
    public void Bf16Weights_MatchF32WeightsOfTheSameValues()
    {
        // The BF16 model against an F32 model whose weights are the same BF16-rounded values: only the dtype of the
        // weight operands differs, so the results agree to accumulation-order noise.
        string path = TempPath("bf16-rounded");
        try
        {
            var writer = new SafetensorsWriter();
            var rounded = new List<Tensor>();
            foreach (string name in _weights.Names)
            {
                using Tensor bf16 = _weights.ReadTensor(name, Cpu, DType.BF16);
                Tensor f32 = Ops.Cast(bf16, DType.F32);
                rounded.Add(f32);
                writer.Add(name, f32);
            }

            writer.Save(path);
            rounded.ForEach(t => t.Dispose());
            using SafetensorsFile file = SafetensorsFile.Open(path);
            using AutoencoderKl bf16Model = AutoencoderKl.Load(new WeightMap(_weights, Cpu, dtype: DType.BF16), _config);
            using AutoencoderKl f32Model = AutoencoderKl.Load(new WeightMap(file, Cpu), _config);

            using Tensor z = LatentInput(2);
            using Tensor a = bf16Model.Decode(z);
            using Tensor b = f32Model.Decode(z);
            Assert.Equal(DType.F32, a.DType);
            var close = new Tolerance(1e-5, 1e-5, 1e-10);
            TensorAssert.Close(b, a, close, "decode");

            using Tensor image = Ops.Clamp(b, -1f, 1f);
            var (meanA, logVarA) = bf16Model.Encode(image);
            var (meanB, logVarB) = f32Model.Encode(image);
            using (meanA)
            using (logVarA)
            using (meanB)
            using (logVarB)
            {
                TensorAssert.Close(meanB, meanA, close, "mean");
                TensorAssert.Close(logVarB, logVarA, close, "logvar");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Deterministic latents [batch, latent, 3, 5] (odd sizes on purpose).</summary>
    private Tensor LatentInput(int batch)
    {
        var shape = new Shape(batch, _config.LatentChannels, 3, 5);
        float[] data = new float[shape.ElementCount];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = MathF.Sin(i * 0.37f) * 1.5f;
        }

        return Tensor.From<float>(Cpu, data, shape);
    }

    private static string TempPath(string what) => Path.Combine(Path.GetTempPath(), $"zimage-vae-{what}-{Environment.ProcessId}-{Guid.NewGuid():N}.safetensors");
}
