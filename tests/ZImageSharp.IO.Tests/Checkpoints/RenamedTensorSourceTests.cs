using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Checkpoints;

/// <summary>Renamed views: fused-qkv chunks and 1×1-conv reshapes read the right bytes, and errors name the stored tensor.</summary>
public sealed class RenamedTensorSourceTests : IDisposable
{
    private const int Dim = 6;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Backends() => ["cpu", "copying"];

    [Theory]
    [MemberData(nameof(Backends))]
    public void Chunk_FusedQkvF32_EachChunkIsItsRowsAndInfoKeepsTheFileRange(string backendName)
    {
        float[] qkv = RandomValues(3 * Dim * Dim, seed: 1);
        string path = Save("qkv.weight", SafetensorsDType.F32, [3 * Dim, Dim], ReadTensorTests.Bytes(qkv), extra: true);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        using var view = new RenamedTensorSource(file, QkvRoutes("qkv.weight"), leaveInnerOpen: true);
        TensorInfo stored = file.Info("qkv.weight");
        IBackend backend = Backend(backendName);
        string[] names = ["to_q.weight", "to_k.weight", "to_v.weight"];
        for (int i = 0; i < 3; i++)
        {
            TensorInfo info = view.Info(names[i]);
            Assert.Equal(names[i], info.Name);
            Assert.Equal([Dim, Dim], info.Dims);
            Assert.Equal(path, info.FilePath);
            Assert.Equal(stored.DataOffset + (i * Dim * Dim * 4), info.DataOffset);
            Assert.Equal(Dim * Dim * 4, info.ByteLength);
            using Tensor t = view.ReadTensor(names[i], backend);
            Assert.Equal(new Shape(Dim, Dim), t.Shape);
            Assert.Equal(qkv[(i * Dim * Dim)..((i + 1) * Dim * Dim)], t.ToArray<float>());
        }

        Assert.Equal(["other", "qkv.weight"], file.Names);
        Assert.Equal(["other"], view.UnroutedNames);
    }

    [Fact]
    public void Chunk_FusedQkvBF16_ChunksMatchAndConvertToF32()
    {
        float[] values = RandomValues(3 * Dim * 4, seed: 2);
        ushort[] bf16 = [.. values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16))];
        float[] expected = [.. bf16.Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16))];
        string path = Save("qkv.weight", SafetensorsDType.BF16, [3 * Dim, 4], ReadTensorTests.Bytes(bf16));
        using var view = new RenamedTensorSource(SafetensorsFile.Open(path), QkvRoutes("qkv.weight"));
        using Tensor k = view.ReadTensor("to_k.weight", CpuBackend.Default);
        using Tensor v = view.ReadTensor("to_v.weight", CpuBackend.Default, DType.F32);
        Assert.Equal(DType.BF16, k.DType);
        Assert.Equal(expected[(Dim * 4)..(2 * Dim * 4)], k.ToFloatArray());
        Assert.Equal(DType.F32, v.DType);
        Assert.Equal(expected[(2 * Dim * 4)..], v.ToArray<float>());
    }

    [Fact]
    public void Conv1x1ToLinear_AttentionConvWeight_IsTheSameValuesAsAMatrix()
    {
        float[] conv = RandomValues(Dim * Dim, seed: 3);
        string path = Save("attn.q.weight", SafetensorsDType.F32, [Dim, Dim, 1, 1], ReadTensorTests.Bytes(conv));
        var routes = new Dictionary<string, TensorRoute> { ["to_q.weight"] = new("attn.q.weight", TensorTransform.Conv1x1ToLinear) };
        using var view = new RenamedTensorSource(SafetensorsFile.Open(path), routes);
        Assert.Equal([Dim, Dim], view.Info("to_q.weight").Dims);
        using Tensor t = view.ReadTensor("to_q.weight", new CopyingBackend());
        Assert.Equal(new Shape(Dim, Dim), t.Shape);
        Assert.Equal(conv, t.ToArray<float>());
    }

    [Fact]
    public void ShardSet_ChunksAndRenamesReadFromTheRightShard()
    {
        string index = ShardSetTests.WriteShardSet(_dir.Path);
        var routes = new Dictionary<string, TensorRoute>
        {
            ["a"] = new("t4"),
            ["b0"] = new("t5", TensorTransform.Chunk(0, 2)),
            ["b1"] = new("t5", TensorTransform.Chunk(1, 2)),
        };
        using var view = new RenamedTensorSource(SafetensorsShardSet.Open(index), routes);
        Assert.Equal(["a", "b0", "b1"], view.Names);
        Assert.EndsWith("model-00003-of-00003.safetensors", view.Info("b1").FilePath);
        using Tensor a = view.ReadTensor("a", CpuBackend.Default);
        using Tensor b0 = view.ReadTensor("b0", CpuBackend.Default);
        using Tensor b1 = view.ReadTensor("b1", CpuBackend.Default);
        Assert.Equal([4f, -4f], a.ToArray<float>());
        Assert.Equal([5f], b0.ToArray<float>());
        Assert.Equal([-5f], b1.ToArray<float>());
        Assert.Equal(["t0", "t1", "t2", "t3"], view.UnroutedNames);
    }

    [Fact]
    public void NestedViews_ChunkOfAPrefixStrippedChunk_ComposesOffsets()
    {
        float[] values = RandomValues(12 * 2, seed: 4);
        string path = Save("m.w", SafetensorsDType.F32, [12, 2], ReadTensorTests.Bytes(values));
        RenamedTensorSource stripped = RenamedTensorSource.WithoutPrefix(SafetensorsFile.Open(path), "m");
        var halves = new Dictionary<string, TensorRoute> { ["h1"] = new("w", TensorTransform.Chunk(1, 2)) };
        using var outer = new RenamedTensorSource(new RenamedTensorSource(stripped, halves), new Dictionary<string, TensorRoute>
        {
            ["x"] = new("h1", TensorTransform.Chunk(2, 3)),
        });
        using Tensor x = outer.ReadTensor("x", CpuBackend.Default);
        Assert.Equal(values[20..24], x.ToArray<float>()); // rows 6..11, then their third pair of rows: rows 10..11
        Assert.Equal([2, 2], outer.Info("x").Dims);
    }

    [Fact]
    public void MetaBackend_ChunkHasTheShapeAndNoData()
    {
        string path = Save("qkv.weight", SafetensorsDType.F32, [3 * Dim, Dim], new byte[3 * Dim * Dim * 4]);
        using var view = new RenamedTensorSource(SafetensorsFile.Open(path), QkvRoutes("qkv.weight"));
        using Tensor t = view.ReadTensor("to_v.weight", MetaBackend.Instance, DType.BF16);
        Assert.Equal(new Shape(Dim, Dim), t.Shape);
        Assert.Equal(DType.BF16, t.DType);
    }

    [Fact]
    public void WeightMap_OverAView_LoadsByPresentedNamesAndIsStrict()
    {
        string path = Save("qkv.weight", SafetensorsDType.F32, [3 * Dim, Dim], ReadTensorTests.Bytes(RandomValues(3 * Dim * Dim, seed: 5)));
        using var view = new RenamedTensorSource(SafetensorsFile.Open(path), QkvRoutes("qkv.weight"));
        var weights = new WeightMap(view, CpuBackend.Default, dtype: DType.BF16);
        using Tensor q = weights.Get("to_q.weight", new Shape(Dim, Dim));
        using Tensor k = weights.Get("to_k.weight", new Shape(Dim, Dim));
        Assert.Equal(DType.BF16, q.DType);
        var e = Assert.Throws<CheckpointException>(weights.ThrowIfUnused);
        Assert.Contains("'to_v.weight'", e.Message);
    }

    [Fact]
    public void Chunk_RowsNotDivisible_FailsAtBuildNamingTheFileAndStoredTensor()
    {
        string path = Save("qkv.weight", SafetensorsDType.F32, [7, 2], new byte[7 * 2 * 4]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var e = Assert.Throws<CheckpointException>(() => new RenamedTensorSource(file, QkvRoutes("qkv.weight"), leaveInnerOpen: true));
        Assert.Equal(path, e.FilePath);
        Assert.Equal("qkv.weight", e.TensorName);
        Assert.Contains("cannot split [7, 2] into 3 equal chunks along dim 0", e.Message);
    }

    [Fact]
    public void Conv1x1ToLinear_A3x3Kernel_FailsNamingTheStoredTensor()
    {
        string path = Save("attn.q.weight", SafetensorsDType.F32, [2, 2, 3, 3], new byte[2 * 2 * 9 * 4]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var routes = new Dictionary<string, TensorRoute> { ["to_q.weight"] = new("attn.q.weight", TensorTransform.Conv1x1ToLinear) };
        var e = Assert.Throws<CheckpointException>(() => new RenamedTensorSource(file, routes, leaveInnerOpen: true));
        Assert.Equal($"{path}: tensor 'attn.q.weight': expected a 1×1 convolution weight [out, in, 1, 1], found [2, 2, 3, 3].", e.Message);
    }

    [Fact]
    public void Reshape_WrongElementCount_Fails()
    {
        string path = Save("w", SafetensorsDType.F32, [2, 3], new byte[24]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var routes = new Dictionary<string, TensorRoute> { ["v"] = new("w", TensorTransform.Reshape(7)) };
        var e = Assert.Throws<CheckpointException>(() => new RenamedTensorSource(file, routes, leaveInnerOpen: true));
        Assert.Contains("cannot reshape [2, 3] to [7]", e.Message);
        routes["v"] = new("w", TensorTransform.Reshape(3, 2));
        using var view = new RenamedTensorSource(file, routes, leaveInnerOpen: true);
        Assert.Equal([3, 2], view.Info("v").Dims);
    }

    [Fact]
    public void MissingStoredTensor_FailsNamingItAndThePresentedName()
    {
        string path = Save("w", SafetensorsDType.F32, [2], new byte[8]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var routes = new Dictionary<string, TensorRoute> { ["v"] = new("nope") };
        var e = Assert.Throws<CheckpointException>(() => new RenamedTensorSource(file, routes, leaveInnerOpen: true));
        Assert.Equal($"{path}: tensor 'nope': no tensor of this name (it should provide 'v').", e.Message);
    }

    [Fact]
    public void ReadTensor_UnloadableAsRequested_ErrorNamesTheStoredTensor()
    {
        string path = Save("qkv.weight", SafetensorsDType.F32, [3 * Dim, Dim], new byte[3 * Dim * Dim * 4]);
        using var view = new RenamedTensorSource(SafetensorsFile.Open(path), QkvRoutes("qkv.weight"));
        var e = Assert.Throws<NotSupportedException>(() => view.ReadTensor("to_k.weight", CpuBackend.Default, DType.I32));
        Assert.StartsWith($"{path}: tensor 'qkv.weight': dtype F32 cannot be loaded as I32", e.Message);
        var missing = Assert.Throws<CheckpointException>(() => view.Info("to_x.weight"));
        Assert.Equal("to_x.weight", missing.TensorName);
    }

    [Fact]
    public void WithoutPrefix_StripsWherePresent_AndRejectsCollisions()
    {
        var writer = new SafetensorsWriter();
        writer.Add("model.diffusion_model.a", SafetensorsDType.F32, [1], new byte[4]);
        writer.Add("b", SafetensorsDType.F32, [1], new byte[4]);
        string path = _dir.File("p.safetensors");
        writer.Save(path);
        using (RenamedTensorSource view = RenamedTensorSource.WithoutPrefix(SafetensorsFile.Open(path), "model.diffusion_model"))
        {
            Assert.Equal(["a", "b"], view.Names);
            Assert.Equal("model.diffusion_model.a", view.Route("a").InnerName);
            Assert.Empty(view.UnroutedNames);
        }

        writer.Add("a", SafetensorsDType.F32, [1], new byte[4]);
        writer.Save(path);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var e = Assert.Throws<CheckpointException>(() => RenamedTensorSource.WithoutPrefix(file, "model.diffusion_model", leaveInnerOpen: true));
        Assert.Contains("same name once the prefix 'model.diffusion_model' is removed", e.Message);
    }

    [Fact]
    public void ReadPart_OutsideTheStoredTensor_Fails()
    {
        string path = Save("w", SafetensorsDType.F32, [4, 2], new byte[32]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var e = Assert.Throws<CheckpointException>(() => file.ReadPart("w", new TensorPart(6, [2, 2]), CpuBackend.Default));
        Assert.Equal("w", e.TensorName);
        Assert.Contains("elements [6, 10) as [2, 2] does not lie inside the stored tensor of 8 elements", e.Message);
    }

    private static Dictionary<string, TensorRoute> QkvRoutes(string fused) => new()
    {
        ["to_q.weight"] = new(fused, TensorTransform.Chunk(0, 3)),
        ["to_k.weight"] = new(fused, TensorTransform.Chunk(1, 3)),
        ["to_v.weight"] = new(fused, TensorTransform.Chunk(2, 3)),
    };

    private static IBackend Backend(string name) => name == "cpu" ? CpuBackend.Default : new CopyingBackend();

    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    private string Save(string name, SafetensorsDType dtype, long[] shape, byte[] data, bool extra = false)
    {
        var writer = new SafetensorsWriter();
        writer.Add(name, dtype, shape, data);
        if (extra)
        {
            writer.Add("other", SafetensorsDType.F32, [1], new byte[4]);
        }

        string path = _dir.File($"{Guid.NewGuid():N}.safetensors");
        writer.Save(path);
        return path;
    }
}
