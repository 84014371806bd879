using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// Single-file components (ComfyUI style, spec 6.2): <c>.safetensors</c> files (or shard sets) in a folder and in
/// ComfyUI's conventional subfolders, or a list of files, each recognised as a component by its tensor names.
/// </summary>
internal static class SingleFilesLayout
{
    /// <summary>Subfolders searched besides the folder itself: ComfyUI's <c>models/</c> layout (current and legacy names) and the Comfy-Org repository's <c>split_files/</c>.</summary>
    public static IReadOnlyList<string> Subfolders { get; } =
    [
        "diffusion_models", "unet", "text_encoders", "clip", "vae",
        Path.Combine("split_files", "diffusion_models"), Path.Combine("split_files", "text_encoders"), Path.Combine("split_files", "vae"),
    ];

    /// <summary>Searches <paramref name="folder"/> and its conventional subfolders; files that are no component are ignored.</summary>
    /// <exception cref="CheckpointException">When two files hold the same component, or a file cannot be read.</exception>
    public static Discovery DiscoverFolder(string folder)
    {
        string[] searched = [folder, .. Subfolders.Select(s => Path.Combine(folder, s)).Where(Directory.Exists)];
        string[] files = [.. searched.SelectMany(Candidates)];
        string where = $"the .safetensors files and shard indexes in {string.Join(", ", searched)}";
        return Classify(folder, files, where, explicitFiles: false);
    }

    /// <summary>The shard indexes of a folder, then its safetensors files that no index lists (a shard alone is only part of a component).</summary>
    private static IEnumerable<string> Candidates(string folder)
    {
        string[] indexes = [.. Directory.GetFiles(folder, "*" + CheckpointOpener.IndexSuffix).Order(StringComparer.Ordinal)];
        var shards = new HashSet<string>(StringComparer.Ordinal);
        foreach (string index in indexes)
        {
            using SafetensorsShardSet set = SafetensorsShardSet.Open(index);
            shards.UnionWith(set.Shards.Select(s => Path.GetFullPath(s.FilePath)));
        }

        return [.. indexes, .. Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal).Where(f => !shards.Contains(Path.GetFullPath(f)))];
    }

    /// <summary>Classifies the given files (safetensors files or shard indexes); with <paramref name="strict"/>, a file that is no component is an error.</summary>
    /// <exception cref="CheckpointException">When a file is missing, holds no component (strict), or two files hold the same one.</exception>
    public static Discovery DiscoverFiles(IReadOnlyList<string> files, bool strict)
    {
        if (files.Count == 0)
        {
            throw new ArgumentException("No files given.", nameof(files));
        }

        string? missing = files.FirstOrDefault(f => !File.Exists(f));
        if (missing is not null)
        {
            throw new CheckpointException(missing, null, "no such file.");
        }

        string root = Path.GetDirectoryName(Path.GetFullPath(files[0]))!;
        return Classify(root, files, $"the given files ({string.Join(", ", files)})", explicitFiles: strict);
    }

    private static Discovery Classify(string root, IReadOnlyList<string> files, string where, bool explicitFiles)
    {
        var found = new Discovery(CheckpointLayout.SingleFiles, root);
        var byKind = new Dictionary<ZImageComponentKind, List<(string Path, ITensorSource Source)>>();
        try
        {
            foreach (string file in files)
            {
                ITensorSource source = CheckpointOpener.Open(file);
                ZImageComponentKind? kind = Detect(source);
                if (kind is { } k)
                {
                    (byKind.TryGetValue(k, out var list) ? list : byKind[k] = []).Add((file, source));
                    continue;
                }

                source.Dispose();
                if (explicitFiles)
                {
                    throw new CheckpointException(file, null, "the tensor names match no Z-Image component (transformer, text encoder or VAE).");
                }

                found.IgnoredFiles.Add(file);
            }

            foreach ((ZImageComponentKind kind, var list) in byKind.Where(p => p.Value.Count > 1))
            {
                throw new CheckpointException(root, null, $"{list.Count} files hold a Z-Image {kind.Description()} ({string.Join(", ", list.Select(f => f.Path))}); keep one, or name the files to use.");
            }

            foreach (ZImageComponentKind kind in ZImageComponentKinds.All)
            {
                if (byKind.Remove(kind, out var list))
                {
                    found.Components.Add(ZImageComponent.Create(kind, list[0].Source, configPath: null, className: null));
                }
                else
                {
                    found.Problems.Add(new ComponentProblem(kind, root, $"no Z-Image {kind.Description()} among {where} (one has {ComponentDetector.Signature(kind)})"));
                }
            }
        }
        catch
        {
            found.DisposeComponents();
            foreach (var list in byKind.Values)
            {
                list.ForEach(f => f.Source.Dispose());
            }

            throw;
        }

        AddTokenizerFolders(found);
        return found;
    }

    private static ZImageComponentKind? Detect(ITensorSource source)
    {
        try
        {
            return ComponentDetector.Detect(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    // The tokenizer is looked for where a user would put it: beside the files, beside the text encoder, and in the
    // models folder when the text encoder sits in one of ComfyUI's subfolders.
    private static void AddTokenizerFolders(Discovery found)
    {
        found.AddTokenizerFolder(found.Root);
        ZImageComponent? encoder = found.Components.Find(c => c.Kind == ZImageComponentKind.TextEncoder);
        if (encoder is null)
        {
            return;
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(encoder.CheckpointPath))!;
        found.AddTokenizerFolder(folder);
        if (Subfolders.Any(s => Path.GetFullPath(folder).EndsWith(Path.DirectorySeparatorChar + s, StringComparison.Ordinal)))
        {
            found.AddTokenizerFolder(Path.GetDirectoryName(folder)!);
        }
    }
}
