using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>Opens whatever a user points at: a <c>.safetensors</c> file, a shard index, or a folder holding exactly one of those.</summary>
public static class CheckpointOpener
{
    /// <summary>The suffix of shard index files (<c>model.safetensors.index.json</c>).</summary>
    public const string IndexSuffix = ".safetensors.index.json";

    /// <summary>Opens a checkpoint.</summary>
    /// <param name="path">A <c>.safetensors</c> file, a <c>*.json</c> shard index, or a folder with one of those.</param>
    /// <exception cref="CheckpointException">When the path is missing, of another kind, or a folder is ambiguous or empty.</exception>
    /// <exception cref="SafetensorsFormatException">When a file is not valid safetensors.</exception>
    public static ITensorSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            return OpenFolder(path);
        }

        if (!File.Exists(path))
        {
            throw new CheckpointException(path, null, "no such file or folder.");
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return SafetensorsShardSet.Open(path);
        }

        return SafetensorsFile.Open(path);
    }

    /// <summary>The checkpoint file a folder holds: its one shard index, else its one <c>.safetensors</c> file; null when it has neither.</summary>
    /// <exception cref="CheckpointException">When the folder holds several index files, or several safetensors files and no index.</exception>
    public static string? FindCheckpointFile(string folder)
    {
        string[] indexes = Sorted(Directory.GetFiles(folder, "*" + IndexSuffix));
        if (indexes.Length > 1)
        {
            throw new CheckpointException(folder, null, $"the folder holds {indexes.Length} shard index files ({Names(indexes)}); name the one to open.");
        }

        if (indexes.Length == 1)
        {
            return indexes[0];
        }

        string[] files = Sorted(Directory.GetFiles(folder, "*.safetensors"));
        if (files.Length > 1)
        {
            throw new CheckpointException(folder, null, $"the folder holds {files.Length} .safetensors files and no shard index ({Names(files)}); name the file to open.");
        }

        return files.Length == 1 ? files[0] : null;
    }

    private static ITensorSource OpenFolder(string folder)
    {
        string file = FindCheckpointFile(folder)
            ?? throw new CheckpointException(folder, null, "the folder holds no .safetensors file and no shard index.");
        return Open(file);
    }

    private static string[] Sorted(string[] paths)
    {
        Array.Sort(paths, StringComparer.Ordinal);
        return paths;
    }

    private static string Names(string[] paths) => string.Join(", ", paths.Select(Path.GetFileName));
}
