namespace ZImageSharp.Pipelines.Loading;

/// <summary>The tensor-name convention a component's checkpoint was written with (detected from the names).</summary>
public enum CheckpointFormat
{
    /// <summary>
    /// The names the diffusers / transformers classes use, which the models load: the diffusers repository, and the
    /// ComfyUI text encoder (Qwen3 names with or without <c>model.</c>). Presented unchanged.
    /// </summary>
    Diffusers,

    /// <summary>ComfyUI's Lumina-2-style transformer names (fused qkv, <c>x_embedder</c>, <c>final_layer</c>, optional <c>model.diffusion_model.</c>).</summary>
    ComfyUI,

    /// <summary>Black Forest Labs / LDM VAE names (<c>ae.safetensors</c>: <c>mid.attn_1</c>, <c>up.{j}.block</c>, 1×1 conv attention).</summary>
    Bfl,
}
