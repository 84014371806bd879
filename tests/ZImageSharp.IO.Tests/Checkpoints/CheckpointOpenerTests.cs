using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Safetensors;
using ZImageSharp.IO.Tests.Support;

namespace ZImageSharp.IO.Tests.Checkpoints;

public sealed class CheckpointOpenerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_SafetensorsFile_OpensIt()
    {
        string path = WriteFile(_dir.Path, "model");
        using ITensorSource source = CheckpointOpener.Open(path);
        Assert.IsType<SafetensorsFile>(source);
        Assert.Equal(["w"], source.Names);
    }

    [Fact]
    public void Open_IndexFileOrFolderWithIndex_OpensTheShardSet()
    {
        string index = ShardSetTests.WriteShardSet(_dir.Path);
        using (ITensorSource source = CheckpointOpener.Open(index))
        {
            Assert.IsType<SafetensorsShardSet>(source);
        }

        using ITensorSource fromFolder = CheckpointOpener.Open(_dir.Path);
        Assert.IsType<SafetensorsShardSet>(fromFolder);
        Assert.Equal(6, fromFolder.Names.Count);
    }

    [Fact]
    public void Open_FolderWithOneFile_OpensTheFile()
    {
        WriteFile(_dir.Path, "only");
        using ITensorSource source = CheckpointOpener.Open(_dir.Path);
        Assert.EndsWith("only.safetensors", source.SourcePath);
    }

    [Fact]
    public void Open_FolderWithTwoFilesAndNoIndex_IsAmbiguous()
    {
        WriteFile(_dir.Path, "a");
        WriteFile(_dir.Path, "b");
        var e = Assert.Throws<CheckpointException>(() => CheckpointOpener.Open(_dir.Path));
        Assert.Equal($"{_dir.Path}: the folder holds 2 .safetensors files and no shard index (a.safetensors, b.safetensors); name the file to open.", e.Message);
    }

    [Fact]
    public void Open_FolderWithTwoIndexes_IsAmbiguous()
    {
        ShardSetTests.WriteShardSet(_dir.Path, "model");
        ShardSetTests.WriteShardSet(_dir.Path, "other");
        var e = Assert.Throws<CheckpointException>(() => CheckpointOpener.Open(_dir.Path));
        Assert.Contains("holds 2 shard index files", e.Message);
    }

    [Fact]
    public void Open_EmptyFolderOrMissingPath_IsReported()
    {
        var empty = Assert.Throws<CheckpointException>(() => CheckpointOpener.Open(_dir.Path));
        Assert.Contains("holds no .safetensors file and no shard index", empty.Message);
        string missing = _dir.File("missing");
        var e = Assert.Throws<CheckpointException>(() => CheckpointOpener.Open(missing));
        Assert.Equal($"{missing}: no such file or folder.", e.Message);
    }

    [Fact]
    public void FindComponents_DiffusersLayout_ListsWeightBearingComponents()
    {
        File.WriteAllText(_dir.File("model_index.json"),
            "{\"_class_name\":\"ZImagePipeline\",\"scheduler\":[\"diffusers\",\"FlowMatchEulerDiscreteScheduler\"]," +
            "\"transformer\":[\"diffusers\",\"ZImageTransformer2DModel\"],\"vae\":[\"diffusers\",\"AutoencoderKL\"]}");
        Directory.CreateDirectory(_dir.File("scheduler"));
        File.WriteAllText(Path.Combine(_dir.File("scheduler"), "scheduler_config.json"), "{}");
        Directory.CreateDirectory(_dir.File("transformer"));
        string index = ShardSetTests.WriteShardSet(_dir.File("transformer"), "diffusion_pytorch_model");
        Directory.CreateDirectory(_dir.File("vae"));
        string vae = WriteFile(_dir.File("vae"), "diffusion_pytorch_model");

        IReadOnlyList<ModelComponent> components = ModelFolder.FindComponents(_dir.Path);
        Assert.Equal(
            [new ModelComponent("transformer", index, "ZImageTransformer2DModel"), new ModelComponent("vae", vae, "AutoencoderKL")],
            components);
    }

    [Fact]
    public void FindComponents_PlainFolderOfFiles_ListsEachFile()
    {
        string a = WriteFile(_dir.Path, "ae");
        string b = WriteFile(_dir.Path, "z_image_turbo_bf16");
        Assert.Equal([new ModelComponent("ae", a, null), new ModelComponent("z_image_turbo_bf16", b, null)], ModelFolder.FindComponents(_dir.Path));
    }

    [Fact]
    public void FindComponents_BadModelIndex_IsReported()
    {
        File.WriteAllText(_dir.File("model_index.json"), "{ nope");
        var e = Assert.Throws<CheckpointException>(() => ModelFolder.FindComponents(_dir.Path));
        Assert.Contains("model_index.json: not valid JSON", e.Message);
    }

    internal static string WriteFile(string folder, string stem)
    {
        var writer = new SafetensorsWriter();
        writer.Add("w", SafetensorsDType.F32, [1], new byte[4]);
        string path = Path.Combine(folder, stem + ".safetensors");
        writer.Save(path);
        return path;
    }
}
