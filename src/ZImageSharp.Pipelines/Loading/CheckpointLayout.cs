namespace ZImageSharp.Pipelines.Loading;

/// <summary>How the files of a Z-Image checkpoint are arranged.</summary>
public enum CheckpointLayout
{
    /// <summary>A diffusers pipeline folder: <c>model_index.json</c> and one folder per component.</summary>
    Diffusers,

    /// <summary>Single files (ComfyUI style): one per component, recognised by their tensor names.</summary>
    SingleFiles,
}
