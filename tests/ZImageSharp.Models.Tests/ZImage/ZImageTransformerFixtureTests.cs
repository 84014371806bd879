using System.Globalization;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>
/// The DiT against every case of dit-tiny/cases.json: the output and every intermediate of the case file that the
/// trace produces (ids and masks exact, RoPE tables to 1e-6, the rest to the README's f32 bound).
/// </summary>
public sealed class ZImageTransformerFixtureTests : IDisposable
{
    /// <summary>RoPE factors are f32 cos/sin of f32 angles: only the last-ulp rounding of cos/sin may differ.</summary>
    private static readonly Tolerance RopeTable = new(1e-6, 0, 1e-12);

    /// <summary>Case-file entries the trace deliberately does not produce: the reference's over-long caption id list, cut to cap_pos_ids before use.</summary>
    private const string NotTraced = "inter.cap_pos_ids_raw.";

    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(DitTiny.Path("model.safetensors"));
    private readonly ZImageTransformer _model;
    private readonly ITestOutputHelper _log;

    public ZImageTransformerFixtureTests(ITestOutputHelper log)
    {
        _log = log;
        _model = ZImageTransformer.Load(new WeightMap(_weights, Cpu), ZImageTransformerConfig.Load(DitTiny.Path("config.json")));
    }

    public static TheoryData<string> CaseNames() => [.. DitTiny.Cases.Select(c => c.Name)];

    public void Dispose()
    {
        _model.Dispose();
        _weights.Dispose();
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_OutputAndEveryIntermediate_MatchTheReference(string name)
    {
        DitCase c = DitTiny.Case(name);
        using SafetensorsFile file = SafetensorsFile.Open(DitTiny.Path(c.File));
        using var inputs = CaseInputs.Read(file, Cpu);
        Assert.Equal(c.Batch, inputs.Latents.Count);
        using var trace = new ZImageForwardTrace();
        IReadOnlyList<Tensor> outputs = _model.Forward(inputs.Latents, inputs.Timesteps, inputs.Captions, trace);
        try
        {
            var worstOutput = new Error();
            var worstInter = new Error();
            var compared = new List<string>();
            foreach (string tensor in file.Names.Where(n => n.StartsWith("output.", StringComparison.Ordinal) || n.StartsWith("inter.", StringComparison.Ordinal)))
            {
                bool isOutput = tensor.StartsWith("output.", StringComparison.Ordinal);
                Tensor? actual = isOutput ? outputs[int.Parse(tensor["output.".Length..], CultureInfo.InvariantCulture)] : trace.Contains(tensor) ? trace[tensor] : null;
                if (actual is null)
                {
                    Assert.StartsWith(NotTraced, tensor);
                    continue;
                }

                using Tensor expected = file.ReadTensor(tensor, Cpu);
                Error e = Compare(tensor, expected, actual, RowsPerItem(tensor, c));
                (isOutput ? worstOutput : worstInter).Update(e, tensor);
                _log.WriteLine($"  {tensor}: max |Δ| {e.MaxAbs:G3}");
                compared.Add(tensor);
            }

            Assert.Equal(c.Batch, compared.Count(n => n.StartsWith("output.", StringComparison.Ordinal)));
            _log.WriteLine($"{name}: {compared.Count} tensors; outputs max |Δ| {worstOutput}; intermediates max |Δ| {worstInter}");
        }
        finally
        {
            foreach (Tensor o in outputs)
            {
                o.Dispose();
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_EachItemAlone_MatchesItsOutputInTheBatch(string name)
    {
        // Batch padding and its key masks must not leak into any item: alone (batch 1, no mask) each item gives the reference output.
        DitCase c = DitTiny.Case(name);
        using SafetensorsFile file = SafetensorsFile.Open(DitTiny.Path(c.File));
        using var inputs = CaseInputs.Read(file, Cpu);
        for (int b = 0; b < inputs.Latents.Count; b++)
        {
            using Tensor t = inputs.Timesteps.Narrow(0, b, 1);
            using Tensor output = _model.Forward([inputs.Latents[b]], t, [inputs.Captions[b]])[0];
            using Tensor expected = file.ReadTensor($"output.{b}", Cpu);
            TensorAssert.Close(expected, output, ReferenceTolerance.F32, $"{name} item {b} alone");
        }
    }

    /// <summary>Per item the rows of a batched [B, L, ...] entry that are the item's own (the rest is don't-care batch padding); null for unbatched entries.</summary>
    private static int[]? RowsPerItem(string tensor, DitCase c)
    {
        if (tensor == "inter.x_freqs_cis" || tensor.StartsWith("inter.noise_refiner.", StringComparison.Ordinal))
        {
            return c.ImageLengths;
        }

        if (tensor == "inter.cap_freqs_cis" || tensor.StartsWith("inter.context_refiner.", StringComparison.Ordinal))
        {
            return c.CaptionLengths;
        }

        bool unified = tensor == "inter.unified_freqs_cis" || tensor.StartsWith("inter.layers.", StringComparison.Ordinal) || tensor.StartsWith("inter.final_layer", StringComparison.Ordinal);
        return unified ? c.UnifiedLengths : null;
    }

    private static Error Compare(string tensor, Tensor expected, Tensor actual, int[]? rows)
    {
        Assert.True(expected.Shape == actual.Shape, $"{tensor}: shape {actual.Shape}, expected {expected.Shape}");
        Assert.True(expected.DType == actual.DType, $"{tensor}: dtype {actual.DType}, expected {expected.DType}");
        if (expected.DType == DType.I32)
        {
            TensorAssert.Equal<int>(expected.ToArray<int>(), actual);
            return new Error();
        }

        if (expected.DType == DType.U8)
        {
            TensorAssert.Equal<byte>(expected.ToArray<byte>(), actual);
            return new Error();
        }

        Tolerance tolerance = tensor.EndsWith("_freqs_cis", StringComparison.Ordinal) ? RopeTable : ReferenceTolerance.F32;
        if (rows is null)
        {
            TensorAssert.Close(expected, actual, tolerance, tensor);
            return Error.Of(expected, actual);
        }

        var error = new Error();
        for (int b = 0; b < rows.Length; b++)
        {
            using Tensor e = expected.Select(0, b).Narrow(0, 0, rows[b]);
            using Tensor a = actual.Select(0, b).Narrow(0, 0, rows[b]);
            TensorAssert.Close(e, a, tolerance, $"{tensor} item {b} (rows :{rows[b]})");
            error.Update(Error.Of(e, a), tensor);
        }

        return error;
    }

    /// <summary>The largest absolute difference seen and where.</summary>
    private sealed class Error
    {
        public double MaxAbs { get; private set; }

        public string Where { get; private set; } = "-";

        public static Error Of(Tensor expected, Tensor actual)
        {
            float[] e = expected.ToFloatArray();
            float[] a = actual.ToFloatArray();
            double max = 0;
            for (int i = 0; i < e.Length; i++)
            {
                max = Math.Max(max, Math.Abs((double)a[i] - e[i]));
            }

            return new Error { MaxAbs = max };
        }

        public void Update(Error other, string where)
        {
            if (other.MaxAbs >= MaxAbs)
            {
                MaxAbs = other.MaxAbs;
                Where = where;
            }
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{MaxAbs:G3} ({Where})");
    }
}
