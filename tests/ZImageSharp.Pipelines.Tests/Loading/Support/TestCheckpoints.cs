using ZImageSharp.Testing.Checkpoints;
using System.Text.Json;
using System.Text.RegularExpressions;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Loading.Support;

/// <summary>
/// Header-only Z-Image checkpoints built from the manifests, in both layouts users download. The ComfyUI and BFL
/// names are produced here by the inverse of spec 6.2 / 4.3, written independently of the loader's mapping.
/// </summary>
internal static partial class TestCheckpoints
{
    public const string ComfyTransformerFile = "z_image_turbo_bf16.safetensors";
    public const string ComfyTextEncoderFile = "qwen_3_4b.safetensors";
    public const string BflVaeFile = "ae.safetensors";

    /// <summary>
    /// The diffusers repository layout (spec 6.1): model_index.json, transformer as 3 F32 shards + index, text encoder
    /// as 3 BF16 shards + index (<c>model.</c> names), VAE as one BF16 file, configs, scheduler, tokenizer.
    /// </summary>
    public static string WriteDiffusers(string root)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "model_index.json"),
            "{\"_class_name\":\"ZImagePipeline\",\"_diffusers_version\":\"0.36.0.dev0\",\"scheduler\":[\"diffusers\",\"FlowMatchEulerDiscreteScheduler\"]," +
            "\"text_encoder\":[\"transformers\",\"Qwen3Model\"],\"tokenizer\":[\"transformers\",\"Qwen2Tokenizer\"]," +
            "\"transformer\":[\"diffusers\",\"ZImageTransformer2DModel\"],\"vae\":[\"diffusers\",\"AutoencoderKL\"]}");
        string transformer = Component(root, Manifest.Transformer);
        SparseSafetensors.WriteSharded(transformer, "diffusion_pytorch_model", [.. Manifest.Transformer.As(SafetensorsDType.F32)], shards: 3);
        string encoder = Component(root, Manifest.TextEncoder);
        SparseSafetensors.WriteSharded(encoder, "model", [.. Manifest.TextEncoder.As(SafetensorsDType.BF16)], shards: 3);
        string vae = Component(root, Manifest.Vae);
        SparseSafetensors.Write(Path.Combine(vae, "diffusion_pytorch_model.safetensors"), Manifest.Vae.As(SafetensorsDType.BF16));
        Directory.CreateDirectory(Path.Combine(root, "scheduler"));
        File.WriteAllText(Path.Combine(root, "scheduler", "scheduler_config.json"),
            "{\"_class_name\":\"FlowMatchEulerDiscreteScheduler\",\"num_train_timesteps\":1000,\"use_dynamic_shifting\":false,\"shift\":3.0}");
        CopyTokenizer(Path.Combine(root, "tokenizer"));
        return root;
    }

    /// <summary>
    /// The Comfy-Org single files (spec 6.2) in ComfyUI's models/ subfolders: the BF16 transformer with Lumina-2 names,
    /// fused qkv, norm_final and the model.diffusion_model. prefix; the BF16 Qwen3-4B; the F32 BFL VAE with encoder.
    /// </summary>
    /// <param name="root">The models folder.</param>
    /// <param name="tokenizerFolder">Where to put tokenizer.json, relative to <paramref name="root"/>; null for none.</param>
    public static string WriteComfy(string root, string? tokenizerFolder = "tokenizer")
    {
        SparseSafetensors.Write(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "diffusion_models")).FullName, ComfyTransformerFile), ComfyTransformer());
        SparseSafetensors.Write(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "text_encoders")).FullName, ComfyTextEncoderFile), Manifest.TextEncoder.As(SafetensorsDType.BF16));
        SparseSafetensors.Write(Path.Combine(Directory.CreateDirectory(Path.Combine(root, "vae")).FullName, BflVaeFile), BflVae());
        if (tokenizerFolder is not null)
        {
            CopyTokenizer(Path.Combine(root, tokenizerFolder));
        }

        return root;
    }

    /// <summary>The ComfyUI transformer's tensors: 453 Lumina-2 names + norm_final.weight, all under model.diffusion_model.</summary>
    public static IEnumerable<ManifestTensor> ComfyTransformer()
    {
        const string prefix = "model.diffusion_model.";
        foreach (ManifestTensor t in Manifest.Transformer.As(SafetensorsDType.BF16))
        {
            Match qkv = Projection().Match(t.Name);
            if (qkv.Success)
            {
                // One fused [3·dim, dim] tensor replaces to_q, to_k, to_v: emit it once, at to_q.
                if (qkv.Groups[2].Value == "q")
                {
                    yield return t with { Name = $"{prefix}{qkv.Groups[1].Value}.attention.qkv.weight", Shape = [3 * t.Shape[0], t.Shape[1]] };
                }

                continue;
            }

            string name = t.Name
                .Replace("all_x_embedder.2-1.", "x_embedder.", StringComparison.Ordinal)
                .Replace("all_final_layer.2-1.", "final_layer.", StringComparison.Ordinal)
                .Replace(".attention.to_out.0.", ".attention.out.", StringComparison.Ordinal)
                .Replace(".attention.norm_q.", ".attention.q_norm.", StringComparison.Ordinal)
                .Replace(".attention.norm_k.", ".attention.k_norm.", StringComparison.Ordinal);
            yield return t with { Name = prefix + name };
        }

        yield return new ManifestTensor(prefix + "norm_final.weight", [3840], SafetensorsDType.BF16);
    }

    /// <summary>The BFL ae.safetensors tensors (F32): LDM names, reversed up levels, 1×1 conv attention weights.</summary>
    public static IEnumerable<ManifestTensor> BflVae() =>
        Manifest.Vae.As(SafetensorsDType.F32).Select(t =>
        {
            string name = ToBfl(t.Name);
            bool attentionWeight = AttentionWeight().IsMatch(t.Name);
            return t with { Name = name, Shape = attentionWeight ? [t.Shape[0], t.Shape[1], 1, 1] : t.Shape };
        });

    /// <summary>A diffusers VAE name in BFL form (spec 4.3 read right to left).</summary>
    public static string ToBfl(string name)
    {
        name = UpBlock().Replace(name, m => $"decoder.up.{3 - int.Parse(m.Groups[1].Value)}.");
        name = DownBlock().Replace(name, "encoder.down.$1.");
        name = name
            .Replace(".resnets.", ".block.", StringComparison.Ordinal)
            .Replace(".upsamplers.0.conv.", ".upsample.conv.", StringComparison.Ordinal)
            .Replace(".downsamplers.0.conv.", ".downsample.conv.", StringComparison.Ordinal)
            .Replace(".conv_shortcut.", ".nin_shortcut.", StringComparison.Ordinal)
            .Replace(".conv_norm_out.", ".norm_out.", StringComparison.Ordinal)
            .Replace(".mid_block.block.0.", ".mid.block_1.", StringComparison.Ordinal)
            .Replace(".mid_block.block.1.", ".mid.block_2.", StringComparison.Ordinal)
            .Replace(".mid_block.attentions.0.group_norm.", ".mid.attn_1.norm.", StringComparison.Ordinal)
            .Replace(".mid_block.attentions.0.to_out.0.", ".mid.attn_1.proj_out.", StringComparison.Ordinal);
        return MidProjection().Replace(name, ".mid.attn_1.$1.");
    }

    /// <summary>Copies the fixture tokenizer.json into <paramref name="folder"/>.</summary>
    public static void CopyTokenizer(string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy(Fixtures.Path("tokenizer", "tokenizer.json"), Path.Combine(folder, "tokenizer.json"), overwrite: true);
    }

    private static string Component(string root, Manifest manifest)
    {
        string folder = Directory.CreateDirectory(Path.Combine(root, manifest.Component)).FullName;
        using JsonDocument config = JsonDocument.Parse(manifest.ConfigJson);
        var values = new Dictionary<string, object?> { ["_class_name"] = manifest.ClassName };
        foreach (JsonProperty p in config.RootElement.EnumerateObject())
        {
            values[p.Name] = p.Value.Clone();
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(values));
        return folder;
    }

    [GeneratedRegex(@"^(.+)\.attention\.to_([qkv])\.weight$")]
    private static partial Regex Projection();

    [GeneratedRegex(@"^(?:encoder|decoder)\.mid_block\.attentions\.0\.(?:to_q|to_k|to_v|to_out\.0)\.weight$")]
    private static partial Regex AttentionWeight();

    [GeneratedRegex(@"^decoder\.up_blocks\.(\d+)\.")]
    private static partial Regex UpBlock();

    [GeneratedRegex(@"^encoder\.down_blocks\.(\d+)\.")]
    private static partial Regex DownBlock();

    [GeneratedRegex(@"\.mid_block\.attentions\.0\.to_([qkv])\.")]
    private static partial Regex MidProjection();
}
