using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// A Z-Image checkpoint as a user downloaded it: a diffusers folder (<c>model_index.json</c> and component folders,
/// transformer shards in F32) or ComfyUI-style single files (<c>z_image_turbo_bf16.safetensors</c> with fused qkv,
/// <c>qwen_3_4b.safetensors</c>, BFL-named <c>ae.safetensors</c>). Each component is recognised by its tensor names
/// and presented under the diffusers names the models load; the tokenizer and configs are located beside them.
/// </summary>
/// <remarks>
/// Only headers are read to open it. <see cref="Open"/> is strict (every component must be there);
/// <see cref="Inspect"/> records what is missing in <see cref="Problems"/> instead, for reports. Owns the files.
/// </remarks>
public sealed class ZImageCheckpoint : IDisposable
{
    private readonly Discovery _found;

    private ZImageCheckpoint(Discovery found, string? tokenizerPath)
    {
        _found = found;
        string? explicitTokenizer = tokenizerPath is null ? null : Path.GetFullPath(tokenizerPath);
        TokenizerSearchPaths = explicitTokenizer is null ? found.TokenizerCandidates : [explicitTokenizer];
        TokenizerPath = TokenizerSearchPaths.FirstOrDefault(File.Exists);
    }

    /// <summary>The folder that was opened (for a list of files: the folder of the first).</summary>
    public string RootPath => _found.Root;

    /// <summary>How the files are arranged.</summary>
    public CheckpointLayout Layout => _found.Layout;

    /// <summary>The <c>_class_name</c> of <c>model_index.json</c> (e.g. <c>ZImagePipeline</c>), or null.</summary>
    public string? PipelineClassName => _found.PipelineClassName;

    /// <summary>The components that were found and mapped, in pipeline order (transformer, text encoder, VAE).</summary>
    public IReadOnlyList<ZImageComponent> Components => _found.Components;

    /// <summary>Components that are missing or whose file holds something else (empty after <see cref="Open"/>).</summary>
    public IReadOnlyList<ComponentProblem> Problems => _found.Problems;

    /// <summary>Safetensors files of a single-files folder that are no Z-Image component (e.g. other models in a ComfyUI folder).</summary>
    public IReadOnlyList<string> IgnoredFiles => _found.IgnoredFiles;

    /// <summary>The transformer.</summary>
    /// <exception cref="CheckpointException">When it is missing (only after <see cref="Inspect"/>).</exception>
    public ZImageComponent Transformer => Require(ZImageComponentKind.Transformer);

    /// <summary>The text encoder.</summary>
    /// <exception cref="CheckpointException">When it is missing (only after <see cref="Inspect"/>).</exception>
    public ZImageComponent TextEncoder => Require(ZImageComponentKind.TextEncoder);

    /// <summary>The VAE.</summary>
    /// <exception cref="CheckpointException">When it is missing (only after <see cref="Inspect"/>).</exception>
    public ZImageComponent Vae => Require(ZImageComponentKind.Vae);

    /// <summary>The tokenizer.json that was found, or null (see <see cref="RequireTokenizerPath"/>).</summary>
    public string? TokenizerPath { get; }

    /// <summary>Where the tokenizer was looked for, in order.</summary>
    public IReadOnlyList<string> TokenizerSearchPaths { get; }

    /// <summary>The diffusers <c>scheduler/scheduler_config.json</c>, or null (single files: the caller uses the Turbo defaults).</summary>
    public string? SchedulerConfigPath => _found.SchedulerConfigPath;

    /// <summary>Opens a checkpoint and requires all three components.</summary>
    /// <param name="path">A diffusers folder, a folder of single files (or a ComfyUI <c>models/</c> folder), or one file.</param>
    /// <param name="tokenizerPath">A tokenizer.json to use instead of looking for one.</param>
    /// <exception cref="CheckpointException">Naming every missing component and where it was looked for; for an unreadable file, or two files holding one component.</exception>
    public static ZImageCheckpoint Open(string path, string? tokenizerPath = null) => Strict(Inspect(path, tokenizerPath));

    /// <summary>Opens a set of single files (and shard indexes) and requires all three components.</summary>
    /// <exception cref="CheckpointException">When a file is missing or holds no component, a component is missing, or two files hold one.</exception>
    public static ZImageCheckpoint OpenFiles(IReadOnlyList<string> files, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Strict(new ZImageCheckpoint(SingleFilesLayout.DiscoverFiles(files, strict: true), tokenizerPath));
    }

    /// <summary>
    /// Opens what <paramref name="path"/> holds without requiring every component: missing ones and files holding
    /// something else are listed in <see cref="Problems"/>. For reports (<c>zimage info</c>).
    /// </summary>
    /// <exception cref="CheckpointException">For a missing path, an unreadable file, or two files holding one component.</exception>
    public static ZImageCheckpoint Inspect(string path, string? tokenizerPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (tokenizerPath is not null && !File.Exists(tokenizerPath))
        {
            throw new CheckpointException(tokenizerPath, null, "no such tokenizer file.");
        }

        Discovery found = Directory.Exists(path) ? (DiffusersLayout.Is(path) ? DiffusersLayout.Discover(path) : SingleFilesLayout.DiscoverFolder(path))
            : File.Exists(path) ? SingleFilesLayout.DiscoverFiles([path], strict: false)
            : throw new CheckpointException(path, null, "no such file or folder.");
        return new ZImageCheckpoint(found, tokenizerPath);
    }

    /// <summary>The component of that kind, or null when it is missing.</summary>
    public ZImageComponent? Find(ZImageComponentKind kind) => Components.FirstOrDefault(c => c.Kind == kind);

    /// <summary>The tokenizer.json path.</summary>
    /// <exception cref="CheckpointException">Saying where it was looked for and how to provide one.</exception>
    public string RequireTokenizerPath() => TokenizerPath ?? throw new CheckpointException(
        RootPath,
        null,
        $"no tokenizer.json found (looked for {string.Join(", ", TokenizerSearchPaths)}). Single-file checkpoints do not include it: " +
        "copy tokenizer/tokenizer.json of the Tongyi-MAI/Z-Image-Turbo repository (the Qwen3 tokenizer) next to the text encoder file or into a tokenizer/ folder there, or give its path explicitly.");

    /// <summary>Unmaps every file.</summary>
    public void Dispose() => _found.DisposeComponents();

    private static ZImageCheckpoint Strict(ZImageCheckpoint checkpoint)
    {
        if (checkpoint.Problems.Count == 0)
        {
            return checkpoint;
        }

        string problems = string.Join("; ", checkpoint.Problems);
        checkpoint.Dispose();
        throw new CheckpointException(checkpoint.RootPath, null, $"not a complete Z-Image checkpoint: {problems}.");
    }

    private ZImageComponent Require(ZImageComponentKind kind) =>
        Find(kind) ?? throw new CheckpointException(
            RootPath,
            null,
            Problems.FirstOrDefault(p => p.Kind == kind) is { } problem ? $"no usable {kind.Description()}: {problem}." : $"no {kind.Description()}.");
}
