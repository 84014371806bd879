using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>Checkpoint and input dtypes: bf16 weights are consumed as stored, inputs of any float type are computed in f32.</summary>
public sealed class ZImageTransformerDTypeTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(DitTiny.Path("model.safetensors"));
    private readonly ZImageTransformerConfig _config = ZImageTransformerConfig.Load(DitTiny.Path("config.json"));
    private readonly DitCase _case = DitTiny.Cases[^1];

    public void Dispose() => _weights.Dispose();

    [Fact]
    public void Bf16Weights_GiveTheF32ResultOfTheSameRoundedWeights()
    {
        // The same bf16-rounded values stored once as BF16 and once as F32: only the kernels' bf16 weight path differs.
        string path = Path.Combine(Path.GetTempPath(), $"zimage-dit-bf16-as-f32-{Environment.ProcessId}.safetensors");
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
            using SafetensorsFile roundedFile = SafetensorsFile.Open(path);
            using ZImageTransformer bf16Model = ZImageTransformer.Load(new WeightMap(_weights, Cpu, dtype: DType.BF16), _config);
            using ZImageTransformer f32Model = ZImageTransformer.Load(new WeightMap(roundedFile, Cpu), _config);
            using SafetensorsFile file = SafetensorsFile.Open(DitTiny.Path(_case.File));
            using var inputs = CaseInputs.Read(file, Cpu);
            IReadOnlyList<Tensor> expected = f32Model.Forward(inputs.Latents, inputs.Timesteps, inputs.Captions);
            IReadOnlyList<Tensor> actual = bf16Model.Forward(inputs.Latents, inputs.Timesteps, inputs.Captions);
            for (int b = 0; b < expected.Count; b++)
            {
                Assert.Equal(DType.F32, actual[b].DType);
                TensorAssert.Close(expected[b], actual[b], ReferenceTolerance.F32, $"output {b}");
                expected[b].Dispose();
                actual[b].Dispose();
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(DType.BF16)]
    [InlineData(DType.F16)]
    public void LowPrecisionInputs_AreComputedInF32(DType dtype)
    {
        // A bf16/f16 latent and caption give exactly what their f32 upcasts give.
        using ZImageTransformer model = ZImageTransformer.Load(new WeightMap(_weights, Cpu), _config);
        using SafetensorsFile file = SafetensorsFile.Open(DitTiny.Path(_case.File));
        using var inputs = CaseInputs.Read(file, Cpu);
        using var scope = TensorScope.Begin();
        Tensor[] latents = [.. inputs.Latents.Select(l => Ops.Cast(l, dtype))];
        Tensor[] captions = [.. inputs.Captions.Select(c => Ops.Cast(c, dtype))];
        IReadOnlyList<Tensor> low = model.Forward(latents, inputs.Timesteps, captions);
        IReadOnlyList<Tensor> upcast = model.Forward([.. latents.Select(l => Ops.Cast(l, DType.F32))], inputs.Timesteps, [.. captions.Select(c => Ops.Cast(c, DType.F32))]);
        for (int b = 0; b < low.Count; b++)
        {
            Assert.Equal(DType.F32, low[b].DType);
            TensorAssert.Close(upcast[b], low[b], Tolerance.Exact, $"output {b}");
        }
    }
}
