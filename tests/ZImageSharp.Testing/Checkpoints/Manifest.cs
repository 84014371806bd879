using System.Text.Json;
using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.Testing.Checkpoints;

/// <summary>One tensor of a manifest (or of a checkpoint built from one).</summary>
public sealed record ManifestTensor(string Name, long[] Shape, SafetensorsDType DType)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    public long Bytes => DType.ByteLength(Elements) ?? throw new InvalidOperationException($"{DType} has no byte length.");
}

/// <summary>fixtures/manifests/{component}.json: the real checkpoints' names, shapes and dtypes (see its README).</summary>
public sealed record Manifest(string Component, string ClassName, IReadOnlyList<ManifestTensor> Tensors, long TotalParameters, string ConfigJson)
{
    public static Manifest Transformer { get; } = Load("transformer");

    public static Manifest TextEncoder { get; } = Load("text_encoder");

    public static Manifest Vae { get; } = Load("vae");

    public static Manifest For(string component) => component switch
    {
        "transformer" => Transformer,
        "text_encoder" => TextEncoder,
        "vae" => Vae,
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    /// <summary>A number from totals.json (e.g. <c>transformer_total</c>).</summary>
    public static long Total(string key)
    {
        using JsonDocument totals = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifests", "totals.json")));
        return totals.RootElement.GetProperty(key).GetInt64();
    }

    /// <summary>The manifest's tensors with another dtype (the manifests list one dtype per component; files differ).</summary>
    public IEnumerable<ManifestTensor> As(SafetensorsDType dtype) => Tensors.Select(t => t with { DType = dtype });

    private static Manifest Load(string component)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifests", component + ".json")));
        JsonElement root = document.RootElement;
        ManifestTensor[] tensors =
        [
            .. root.GetProperty("tensors").EnumerateArray().Select(t => new ManifestTensor(
                t.GetProperty("name").GetString()!,
                [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())],
                SafetensorsDTypes.TryParse(t.GetProperty("dtype").GetString()!, out SafetensorsDType dtype) ? dtype : throw new InvalidDataException(component))),
        ];
        Assert.Equal(root.GetProperty("num_tensors").GetInt32(), tensors.Length);
        string className = root.GetProperty("class").GetString()!.Split(' ')[1];
        return new Manifest(component, className, tensors, root.GetProperty("total_parameters").GetInt64(), root.GetProperty("config").GetRawText());
    }
}
