using ZImageSharp.IO.Safetensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>The inputs of a dit-tiny case file: input.x.{i}, input.t, input.cap_feats.{i}, as the pipeline passes them.</summary>
internal sealed class CaseInputs : IDisposable
{
    private CaseInputs(List<Tensor> latents, Tensor timesteps, List<Tensor> captions)
    {
        Latents = latents;
        Timesteps = timesteps;
        Captions = captions;
    }

    /// <summary>Per item [C, 1, H, W].</summary>
    public IReadOnlyList<Tensor> Latents { get; }

    /// <summary>F32 [B].</summary>
    public Tensor Timesteps { get; }

    /// <summary>Per item [L, cap_feat_dim].</summary>
    public IReadOnlyList<Tensor> Captions { get; }

    public static CaseInputs Read(SafetensorsFile file, IBackend backend)
    {
        var latents = new List<Tensor>();
        var captions = new List<Tensor>();
        for (int b = 0; file.Contains($"input.x.{b}"); b++)
        {
            latents.Add(file.ReadTensor($"input.x.{b}", backend));
            captions.Add(file.ReadTensor($"input.cap_feats.{b}", backend));
        }

        return new CaseInputs(latents, file.ReadTensor("input.t", backend), captions);
    }

    public void Dispose()
    {
        foreach (Tensor t in Latents.Concat(Captions).Append(Timesteps))
        {
            t.Dispose();
        }
    }
}
