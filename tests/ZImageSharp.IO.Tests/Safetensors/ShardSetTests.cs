using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Safetensors;

public sealed class ShardSetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Three shards of two tensors each (t0..t5, value = index) and the index; returns the index path.</summary>
    internal static string WriteShardSet(string folder, string stem = "model", Action<Dictionary<string, string>>? editMap = null)
    {
        var map = new Dictionary<string, string>();
        for (int shard = 0; shard < 3; shard++)
        {
            string file = $"{stem}-{shard + 1:D5}-of-00003.safetensors";
            var writer = new SafetensorsWriter();
            for (int k = 0; k < 2; k++)
            {
                int index = (shard * 2) + k;
                writer.Add($"t{index}", SafetensorsDType.F32, [2], ReadTensorTests.Bytes<float>([index, -index]));
                map[$"t{index}"] = file;
            }

            writer.Save(Path.Combine(folder, file));
        }

        editMap?.Invoke(map);
        string entries = string.Join(",", map.Select(p => $"\"{p.Key}\":\"{p.Value}\""));
        string indexPath = Path.Combine(folder, stem + ".safetensors.index.json");
        File.WriteAllText(indexPath, $"{{\"metadata\":{{\"total_size\":48,\"format\":\"pt\"}},\"weight_map\":{{{entries}}}}}");
        return indexPath;
    }

    [Fact]
    public void Open_ThreeShards_PresentsOneNameSpace()
    {
        string index = WriteShardSet(_dir.Path);
        using SafetensorsShardSet set = SafetensorsShardSet.Open(index);
        Assert.Equal(["t0", "t1", "t2", "t3", "t4", "t5"], set.Names);
        Assert.Equal(3, set.Shards.Count);
        Assert.Equal("48", set.Metadata["total_size"]);
        Assert.Equal("pt", set.Metadata["format"]);
        Assert.EndsWith("model-00002-of-00003.safetensors", set.Info("t3").FilePath);
        for (int i = 0; i < 6; i++)
        {
            using Tensor t = set.ReadTensor($"t{i}", CpuBackend.Default);
            Assert.Equal([i, -i], t.ToArray<float>());
        }

        Assert.False(set.TryGetInfo("t6", out _));
        Assert.Throws<CheckpointException>(() => set.Info("t6"));
    }

    [Fact]
    public void Open_MissingShardFile_NamesTheIndexAndTheTensor()
    {
        string index = WriteShardSet(_dir.Path);
        File.Delete(_dir.File("model-00003-of-00003.safetensors"));
        var e = Assert.Throws<CheckpointException>(() => SafetensorsShardSet.Open(index));
        Assert.StartsWith($"{index}: tensor 't4': its shard file 'model-00003-of-00003.safetensors' does not exist", e.Message);
    }

    [Fact]
    public void Open_TensorAbsentFromItsShard_IsReported()
    {
        string index = WriteShardSet(_dir.Path, editMap: m => m["ghost"] = m["t0"]);
        var e = Assert.Throws<CheckpointException>(() => SafetensorsShardSet.Open(index));
        Assert.Equal($"{index}: tensor 'ghost': the index places it in shard 'model-00001-of-00003.safetensors', which does not contain it.", e.Message);
    }

    [Fact]
    public void Open_TensorInTwoShards_IsReportedAsDuplicate()
    {
        string index = WriteShardSet(_dir.Path);

        // Rewrite shard 3 so it also holds t0 (which the index routes to shard 1).
        var writer = new SafetensorsWriter();
        writer.Add("t0", SafetensorsDType.F32, [2], new byte[8]);
        writer.Add("t4", SafetensorsDType.F32, [2], new byte[8]);
        writer.Add("t5", SafetensorsDType.F32, [2], new byte[8]);
        writer.Save(_dir.File("model-00003-of-00003.safetensors"));

        var e = Assert.Throws<CheckpointException>(() => SafetensorsShardSet.Open(index));
        Assert.Contains("tensor 't0': it is stored in two shards, 'model-00001-of-00003.safetensors' and 'model-00003-of-00003.safetensors' (duplicate tensor)", e.Message);
        Assert.StartsWith(index, e.Message);
    }

    [Fact]
    public void Open_ShardTensorTheIndexDoesNotList_IsReported()
    {
        string index = WriteShardSet(_dir.Path, editMap: m => m.Remove("t5"));
        var e = Assert.Throws<CheckpointException>(() => SafetensorsShardSet.Open(index));
        Assert.Contains("tensor 't5': shard 'model-00003-of-00003.safetensors' holds it, but the index does not list it", e.Message);
    }

    [Fact]
    public void Open_DuplicateKeyInWeightMap_IsReported()
    {
        string index = _dir.File("dup.safetensors.index.json");
        File.WriteAllText(index, "{\"weight_map\":{\"a\":\"x.safetensors\",\"a\":\"y.safetensors\"}}");
        var e = Assert.Throws<CheckpointException>(() => SafetensorsShardSet.Open(index));
        Assert.Contains("tensor 'a': the tensor is listed twice in weight_map", e.Message);
    }

    [Theory]
    [InlineData("{\"weight_map\": ", "is not valid JSON")]
    [InlineData("[]", "is not a JSON object")]
    [InlineData("{\"metadata\":{}}", "has no 'weight_map'")]
    [InlineData("{\"weight_map\":[]}", "'weight_map' must be an object")]
    [InlineData("{\"weight_map\":{\"a\":1}}", "the weight_map value must be a shard file name")]
    [InlineData("{\"weight_map\":{\"a\":\"../escape.safetensors\"}}", "is not a file name in the index's folder")]
    [InlineData("{\"weight_map\":{\"a\":\"/etc/passwd\"}}", "is not a file name in the index's folder")]
    public void Open_MalformedIndex_IsReported(string json, string problem)
    {
        string index = _dir.File("bad.safetensors.index.json");
        File.WriteAllText(index, json);
        var e = Assert.Throws<CheckpointException>(() => SafetensorsShardSet.Open(index));
        Assert.StartsWith(index + ": ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Open_MalformedShard_NamesTheShard()
    {
        string index = WriteShardSet(_dir.Path);
        string shard = _dir.File("model-00002-of-00003.safetensors");
        byte[] bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..^3]);
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsShardSet.Open(index));
        Assert.Equal(shard, e.FilePath);
        Assert.Contains("truncated", e.Message);
    }
}
