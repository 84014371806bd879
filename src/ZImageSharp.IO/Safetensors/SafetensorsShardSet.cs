using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// A checkpoint split over several safetensors files and described by a <c>*.safetensors.index.json</c>: one name
/// space over all shards (the index's <c>weight_map</c> says which shard holds each tensor).
/// </summary>
/// <remarks>
/// Opening checks that the index and the shards agree exactly: every referenced shard exists and is valid, every
/// listed tensor is in its shard, and no shard holds a tensor the index does not route to it (a tensor in two shards,
/// or one the index does not list). Thread-safety as for <see cref="SafetensorsFile"/>.
/// </remarks>
public sealed class SafetensorsShardSet : IPartialTensorSource
{
    private readonly Dictionary<string, SafetensorsFile> _route;
    private readonly List<SafetensorsFile> _shards;

    private SafetensorsShardSet(string indexPath, IReadOnlyDictionary<string, string> metadata, Dictionary<string, SafetensorsFile> route, List<SafetensorsFile> shards)
    {
        IndexPath = indexPath;
        Metadata = metadata;
        _route = route;
        _shards = shards;
        string[] names = [.. route.Keys];
        Array.Sort(names, StringComparer.Ordinal);
        Names = names;
    }

    /// <summary>The index file the set was opened from.</summary>
    public string IndexPath { get; }

    /// <inheritdoc/>
    public string SourcePath => IndexPath;

    /// <summary>The shard files, in the order the index first names them.</summary>
    public IReadOnlyList<SafetensorsFile> Shards => _shards;

    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The index's <c>metadata</c> (e.g. <c>total_size</c>, as JSON text when not a string).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens an index and all the shards it names (shard names are relative to the index's folder).</summary>
    /// <exception cref="CheckpointException">For a malformed index, a missing shard, or an index that disagrees with its shards.</exception>
    /// <exception cref="SafetensorsFormatException">When a shard is not a valid safetensors file.</exception>
    public static SafetensorsShardSet Open(string indexPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        ShardIndex index = ShardIndex.Read(indexPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        string shardFolder = Path.GetDirectoryName(indexPath) ?? string.Empty;
        var byFileName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var shards = new List<SafetensorsFile>();
        try
        {
            var route = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach ((string tensor, string shardName) in index.WeightMap)
            {
                if (!byFileName.TryGetValue(shardName, out SafetensorsFile? shard))
                {
                    shard = OpenShard(indexPath, folder, shardFolder, tensor, shardName);
                    byFileName.Add(shardName, shard);
                    shards.Add(shard);
                }

                if (!shard.Contains(tensor))
                {
                    throw new CheckpointException(indexPath, tensor, $"the index places it in shard '{shardName}', which does not contain it.");
                }

                route.Add(tensor, shard);
            }

            CheckNoStrayTensors(indexPath, shards, route);
            return new SafetensorsShardSet(indexPath, index.Metadata, route, shards);
        }
        catch
        {
            shards.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <inheritdoc/>
    public bool TryGetInfo(string name, out TensorInfo info)
    {
        if (_route.TryGetValue(name, out SafetensorsFile? shard))
        {
            return shard.TryGetInfo(name, out info);
        }

        info = null!;
        return false;
    }

    /// <inheritdoc/>
    public TensorInfo Info(string name) => Shard(name).Info(name);

    /// <inheritdoc/>
    public Tensor ReadTensor(string name, IBackend backend, DType? dtype = null) => Shard(name).ReadTensor(name, backend, dtype);

    /// <inheritdoc/>
    public Tensor ReadPart(string name, TensorPart part, IBackend backend, DType? dtype = null) => Shard(name).ReadPart(name, part, backend, dtype);

    /// <summary>Disposes every shard (zero-copy tensors keep their mappings alive).</summary>
    public void Dispose() => _shards.ForEach(s => s.Dispose());

    private SafetensorsFile Shard(string name) =>
        _route.TryGetValue(name, out SafetensorsFile? shard) ? shard : throw new CheckpointException(IndexPath, name, "no tensor of this name in the shard set.");

    private static SafetensorsFile OpenShard(string indexPath, string folder, string shardFolder, string tensor, string shardName)
    {
        // Shard names are plain file names next to the index; refuse anything that would read elsewhere.
        string full = Path.GetFullPath(Path.Combine(folder, shardName));
        if (shardName.Length == 0 || Path.IsPathRooted(shardName) || Path.GetDirectoryName(full) != folder)
        {
            throw new CheckpointException(indexPath, tensor, $"shard name '{shardName}' is not a file name in the index's folder.");
        }

        string path = Path.Combine(shardFolder, shardName);
        if (!File.Exists(path))
        {
            throw new CheckpointException(indexPath, tensor, $"its shard file '{shardName}' does not exist ({path}).");
        }

        return SafetensorsFile.Open(path);
    }

    private static void CheckNoStrayTensors(string indexPath, List<SafetensorsFile> shards, Dictionary<string, SafetensorsFile> route)
    {
        foreach (SafetensorsFile shard in shards)
        {
            foreach (string name in shard.Names)
            {
                if (!route.TryGetValue(name, out SafetensorsFile? owner))
                {
                    throw new CheckpointException(indexPath, name, $"shard '{Path.GetFileName(shard.FilePath)}' holds it, but the index does not list it.");
                }

                if (!ReferenceEquals(owner, shard))
                {
                    throw new CheckpointException(indexPath, name, $"it is stored in two shards, '{Path.GetFileName(owner.FilePath)}' and '{Path.GetFileName(shard.FilePath)}' (duplicate tensor).");
                }
            }
        }
    }
}
