using System.Globalization;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Vae;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>
/// Every case of vae-tiny/cases.json against the reference: outputs and every intermediate the case file holds that
/// the model's trace produces. Shapes come from the config, so another fixture set of the same layout can be swapped in.
/// </summary>
public sealed class VaeFixtureTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(Fixtures.Path("vae-tiny", "model.safetensors"));
    private readonly AutoencoderKlConfig _config = AutoencoderKlConfig.Load(Fixtures.Path("vae-tiny", "config.json"));
    private readonly AutoencoderKl _vae;
    private readonly ITestOutputHelper _output;

    public VaeFixtureTests(ITestOutputHelper output)
    {
        _output = output;
        _vae = AutoencoderKl.Load(new WeightMap(_weights, Cpu), _config);
    }

    public static TheoryData<string> CaseNames => [.. VaeCase.All.Select(c => c.Name)];

    public void Dispose()
    {
        _vae.Dispose();
        _weights.Dispose();
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesReference(string name)
    {
        VaeCase c = VaeCase.Named(name);
        using SafetensorsFile file = SafetensorsFile.Open(c.FilePath);
        using var trace = new VaeTrace();

        // Fixture name → tensor; the trace owns its entries, every other one is disposed here.
        var produced = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var owned = new List<Tensor>();
        try
        {
            switch (c.Kind)
            {
                case "decode":
                    owned.AddRange(RunDecode(file, trace, produced));
                    break;
                case "encode":
                    owned.AddRange(RunEncode(file, trace, produced));
                    break;
                case "pipeline_decode":
                    owned.AddRange(RunPipelineDecode(c, file, produced));
                    break;
                default:
                    Assert.Fail($"case {c.Name}: unknown kind '{c.Kind}'.");
                    break;
            }

            foreach (string traced in trace.Names)
            {
                produced.TryAdd("inter." + traced, trace[traced]);
            }

            CompareAll(c, file, produced);
        }
        finally
        {
            owned.ForEach(t => t.Dispose());
        }
    }

    private Tensor[] RunDecode(SafetensorsFile file, VaeTrace trace, Dictionary<string, Tensor> produced)
    {
        using Tensor z = file.ReadTensor("input.z", Cpu);
        Tensor sample = _vae.Decode(z, trace);
        produced["output.sample"] = sample;
        Assert.Equal(DecodedShape(z.Shape), sample.Shape);
        Assert.Equal(DType.F32, sample.DType);
        return [sample];
    }

    private Tensor[] RunEncode(SafetensorsFile file, VaeTrace trace, Dictionary<string, Tensor> produced)
    {
        using Tensor image = file.ReadTensor("input.image", Cpu);
        var (mean, logVar) = _vae.Encode(image, trace);
        produced["output.mean"] = mean;
        produced["output.logvar"] = logVar;
        produced["output.moments"] = trace["encoder.conv_out"];
        var (b, _, h, w) = image.Shape.Dims4();
        var latent = new Shape(b, _config.LatentChannels, LatentSize(h), LatentSize(w));
        Assert.Equal(latent, mean.Shape);
        Assert.Equal(latent, logVar.Shape);
        Assert.InRange(logVar.ToFloatArray().Min(), -30f, 20f);
        Assert.InRange(logVar.ToFloatArray().Max(), -30f, 20f);
        return [mean, logVar];
    }

    private Tensor[] RunPipelineDecode(VaeCase c, SafetensorsFile file, Dictionary<string, Tensor> produced)
    {
        using Tensor latents = file.ReadTensor("input.latents", Cpu);
        Tensor scaled = _vae.ScaleLatents(latents);
        produced["inter.scaled_latents"] = scaled;
        Tensor decoded = _vae.Decode(scaled);
        produced["inter.decoded"] = decoded;
        Assert.Equal(DecodedShape(latents.Shape), decoded.Shape);
        Tensor images = VaeImageProcessor.ToFloatImages(decoded);
        produced["output.image_float"] = images;
        var (b, ch, h, w) = decoded.Shape.Dims4();
        Assert.Equal(new Shape(b, h, w, ch), images.Shape);

        if (c.Tensors.ContainsKey("output.image_uint8"))
        {
            IReadOnlyList<byte[]> bytes = VaeImageProcessor.ToUInt8(decoded);
            using Tensor reference = file.ReadTensor("output.image_uint8", Cpu);
            Assert.Equal(DType.U8, reference.DType);
            CompareBytes(reference.ToArray<byte>(), bytes);
        }

        return [scaled, decoded, images];
    }

    private void CompareAll(VaeCase c, SafetensorsFile file, Dictionary<string, Tensor> produced)
    {
        var skipped = new List<string>();
        int compared = 0;
        foreach ((string name, int[] shape) in c.Tensors)
        {
            if (name.StartsWith("input.", StringComparison.Ordinal) || name == "output.image_uint8")
            {
                continue;
            }

            if (!produced.TryGetValue(name, out Tensor? actual))
            {
                // Outputs are required; an intermediate the trace does not produce is reported, not failed.
                Assert.False(name.StartsWith("output.", StringComparison.Ordinal), $"case {c.Name}: nothing produced {name}.");
                skipped.Add(name);
                continue;
            }

            using Tensor expected = file.ReadTensor(name, Cpu);
            Assert.Equal(shape, expected.Shape.ToArray());
            TensorAssert.Close(expected, actual, ReferenceTolerance.F32, $"{c.Name} {name}");
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Name} {name}: max |Δ| {MaxAbsDiff(expected, actual):G3}"));
            compared++;
        }

        Assert.True(compared > 0, $"case {c.Name}: nothing was compared.");
        if (skipped.Count > 0)
        {
            _output.WriteLine($"{c.Name}: not produced by the trace, not compared: {string.Join(", ", skipped)}");
        }
    }

    private void CompareBytes(byte[] expected, IReadOnlyList<byte[]> actual)
    {
        byte[] flat = [.. actual.SelectMany(a => a)];
        Assert.Equal(expected.Length, flat.Length);
        int differing = 0;
        int worst = 0;
        for (int i = 0; i < flat.Length; i++)
        {
            int d = Math.Abs(flat[i] - expected[i]);
            differing += d > 0 ? 1 : 0;
            worst = Math.Max(worst, d);
        }

        _output.WriteLine($"image_uint8: {differing} of {flat.Length} bytes differ, max |Δ| {worst}");
        Assert.True(worst <= 1, $"image_uint8: max |Δ| {worst} > 1");
        Assert.True(differing <= flat.Length * 0.005, $"image_uint8: {differing} of {flat.Length} bytes differ (> 0.5 %)");
    }

    private Shape DecodedShape(Shape latents)
    {
        var (b, _, h, w) = latents.Dims4();
        int f = _config.ScaleFactor;
        return new Shape(b, _config.OutChannels, h * f, w * f);
    }

    /// <summary>Each encoder downsampler maps n to ⌊n/2⌋ (pad one after, 3×3, stride 2).</summary>
    private int LatentSize(int n)
    {
        for (int i = 1; i < _config.Levels; i++)
        {
            n /= 2;
        }

        return n;
    }

    private static double MaxAbsDiff(Tensor expected, Tensor actual)
    {
        float[] e = expected.ToFloatArray();
        float[] a = actual.ToFloatArray();
        return e.Zip(a, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty().Max();
    }
}
