using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Weights;

public sealed class WeightMapTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly TempDirectory _dir = new();
    private readonly SafetensorsFile _file;

    public WeightMapTests()
    {
        var writer = new SafetensorsWriter();
        Add(writer, "model.layers.0.attention.to_q.weight", 4, 4);
        Add(writer, "model.layers.0.attention.to_k.weight", 4, 4);
        Add(writer, "model.layers.1.attention.to_q.weight", 4, 2);
        Add(writer, "model.layers.10.attention.to_q.weight", 4, 4);
        Add(writer, "model.norm.weight", 4);
        Add(writer, "lm_head.weight", 4, 4);
        string path = _dir.File("weights.safetensors");
        writer.Save(path);
        _file = SafetensorsFile.Open(path);
    }

    public void Dispose()
    {
        _file.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Get_ThroughNestedPrefixes_LoadsTheFullName()
    {
        var root = new WeightMap(_file, Cpu, "model");
        WeightMap attention = root.Sub("layers").Sub("0").Sub("attention");
        Assert.Equal("model.layers.0.attention", attention.Prefix);
        using Tensor q = attention.Get("to_q.weight", new Shape(4, 4));
        Assert.Equal(new Shape(4, 4), q.Shape);
        Assert.Equal(DType.F32, q.DType);
        Assert.True(attention.Contains("to_k.weight"));
        Assert.False(attention.Contains("to_v.weight"));
    }

    [Fact]
    public void Get_WrongShape_NamesFileTensorAndBothShapes()
    {
        WeightMap layer = new WeightMap(_file, Cpu, "model").Sub("layers.1");
        var e = Assert.Throws<CheckpointException>(() => layer.Get("attention.to_q.weight", new Shape(4, 4)));
        Assert.Equal($"{_file.FilePath}: tensor 'model.layers.1.attention.to_q.weight': expected shape [4, 4], found [4, 2].", e.Message);
        Assert.Equal("model.layers.1.attention.to_q.weight", e.TensorName);
    }

    [Fact]
    public void Get_MissingName_SuggestsCloseNames()
    {
        WeightMap layer = new WeightMap(_file, Cpu, "model").Sub("layers.0");
        var e = Assert.Throws<CheckpointException>(() => layer.Get("attention.to_v.weight", new Shape(4, 4)));
        Assert.Equal(
            $"{_file.FilePath}: tensor 'model.layers.0.attention.to_v.weight': not found (prefix 'model.layers.0'); similar names: " +
            "'model.layers.0.attention.to_k.weight', 'model.layers.0.attention.to_q.weight', 'model.layers.1.attention.to_q.weight'.",
            e.Message);
    }

    [Fact]
    public void Get_MissingOuterPrefix_SuggestsThePrefixedName()
    {
        var root = new WeightMap(_file, Cpu);
        var e = Assert.Throws<CheckpointException>(() => root.Get("norm.weight", new Shape(4)));
        Assert.Equal($"{_file.FilePath}: tensor 'norm.weight': not found; similar names: 'model.norm.weight'.", e.Message);
        Assert.Equal(["norm.weight"], root.Report().Missing);
    }

    [Fact]
    public void Get_NothingSimilar_SaysSo()
    {
        var root = new WeightMap(_file, Cpu);
        var e = Assert.Throws<CheckpointException>(() => root.Get("completely.different.thing.entirely", new Shape(1)));
        Assert.EndsWith("not found; no similar names.", e.Message);
    }

    [Fact]
    public void TryGet_AbsentIsNull_PresentIsShapeChecked()
    {
        var root = new WeightMap(_file, Cpu, "model");
        Assert.Null(root.TryGet("bias", new Shape(4)));
        using Tensor? norm = root.TryGet("norm.weight", new Shape(4));
        Assert.NotNull(norm);
        Assert.Throws<CheckpointException>(() => root.TryGet("layers.1.attention.to_q.weight", new Shape(2, 4)));
        Assert.Empty(root.Report().Missing);
    }

    [Fact]
    public void Get_WithDTypeRequestOrMapDefault_Converts()
    {
        var root = new WeightMap(_file, Cpu, "model", DType.BF16);
        using Tensor byDefault = root.Get("norm.weight", new Shape(4));
        Assert.Equal(DType.BF16, byDefault.DType);
        using Tensor overridden = root.Get("norm.weight", new Shape(4), DType.F16);
        Assert.Equal(DType.F16, overridden.DType);
    }

    [Fact]
    public void UnusedNames_AreSharedAcrossSubMapsAndScopedByPrefix()
    {
        var root = new WeightMap(_file, Cpu, "model");
        WeightMap layer0 = root.Sub("layers.0");
        layer0.Get("attention.to_q.weight", new Shape(4, 4)).Dispose();
        root.Sub("norm").Get("weight", new Shape(4)).Dispose();

        // "lm_head.weight" is outside the root prefix; "layers.1" must not claim "layers.10".
        Assert.Equal(
            ["model.layers.0.attention.to_k.weight", "model.layers.1.attention.to_q.weight", "model.layers.10.attention.to_q.weight"],
            root.UnusedNames());
        Assert.Equal(["model.layers.1.attention.to_q.weight"], root.Sub("layers.1").UnusedNames());
        Assert.Equal(["model.layers.0.attention.to_k.weight"], layer0.UnusedNames());

        WeightReport report = root.Report();
        Assert.False(report.IsExact);
        Assert.Equal(3, report.Unused.Count);
    }

    [Fact]
    public void ThrowIfUnused_ListsTheUnusedNames_AndPassesOnceAllAreLoaded()
    {
        var root = new WeightMap(_file, Cpu, "model");
        root.Get("norm.weight", new Shape(4)).Dispose();
        var e = Assert.Throws<CheckpointException>(root.ThrowIfUnused);
        Assert.Equal(
            $"{_file.FilePath}: 4 tensors under prefix 'model' were not used by the model: 'model.layers.0.attention.to_k.weight', " +
            "'model.layers.0.attention.to_q.weight', 'model.layers.1.attention.to_q.weight', 'model.layers.10.attention.to_q.weight'.",
            e.Message);

        WeightMap layers = root.Sub("layers");
        layers.Get("0.attention.to_q.weight", new Shape(4, 4)).Dispose();
        layers.Get("0.attention.to_k.weight", new Shape(4, 4)).Dispose();
        layers.Get("1.attention.to_q.weight", new Shape(4, 2)).Dispose();
        layers.Get("10.attention.to_q.weight", new Shape(4, 4)).Dispose();
        root.ThrowIfUnused();
        Assert.True(root.Report().IsExact);
    }

    [Fact]
    public void Skip_MarksOnlyTheNamesUnderThePrefix()
    {
        var root = new WeightMap(_file, Cpu, "model");
        Assert.Equal(2, root.Sub("layers").Skip("0"));
        Assert.Equal(1, root.Skip("norm"));
        Assert.Equal(new[] { "model.layers.1.attention.to_q.weight", "model.layers.10.attention.to_q.weight" }, root.UnusedNames());
    }

    [Fact]
    public void Get_UnloadableDType_IsNotSupported()
    {
        var writer = new SafetensorsWriter();
        writer.Add("scale", SafetensorsDType.F8_E8M0, [2], new byte[2]);
        string path = _dir.File("e8m0.safetensors");
        writer.Save(path);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        var e = Assert.Throws<NotSupportedException>(() => new WeightMap(file, Cpu).Get("scale", new Shape(2)));
        Assert.Contains("dtype F8_E8M0 cannot be loaded", e.Message);
    }

    [Theory]
    [InlineData("layers.1.x", "layers.1", true)]
    [InlineData("layers.10.x", "layers.1", false)]
    [InlineData("layers.1", "layers.1", true)]
    [InlineData("anything", "", true)]
    public void IsUnder_RespectsDotBoundaries(string name, string prefix, bool expected) =>
        Assert.Equal(expected, WeightMap.IsUnder(name, prefix));

    private static void Add(SafetensorsWriter writer, string name, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        writer.Add(name, SafetensorsDType.F32, shape, ReadTensorTests.Bytes<float>(new float[count]));
    }
}
