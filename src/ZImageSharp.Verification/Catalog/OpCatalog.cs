using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

/// <summary>
/// Every op of <see cref="IKernels"/> as named cases over f32, bf16 and (where the model uses it) f16: odd sizes that
/// miss every block size, strided and transposed inputs, broadcasting, and DiT-sized rows ([1, 4128, 3840]: 4096 image
/// tokens of a 1024² image plus 32 caption tokens, hidden size 3840). The quick catalog runs in seconds on a laptop; the
/// full one adds the larger products (DiT-sized GEMMs and attention) meant for a GPU.
/// </summary>
public static partial class OpCatalog
{
    /// <summary>Image tokens of a 1024×1024 image (64×64 patches) plus a short caption.</summary>
    internal const int DitTokens = 4096 + 32;

    /// <summary>The Z-Image DiT's hidden size.</summary>
    internal const int DitHidden = 3840;

    private static readonly Lazy<IReadOnlyList<OpCase>> s_all = new(() =>
        [.. DataMovement(), .. Elementwise(), .. Rows(), .. Products()]);

    /// <summary>All cases, quick and full.</summary>
    public static IReadOnlyList<OpCase> All => s_all.Value;

    /// <summary>The float dtypes every math op is checked in.</summary>
    internal static readonly DType[] Floats = [DType.F32, DType.BF16];

    internal static OpCase Case(
        string op,
        string name,
        DType dtype,
        Func<IReadOnlyList<HostInput>> inputs,
        Func<IBackend, IReadOnlyList<Tensor>, Tensor> run,
        Func<IReadOnlyList<HostTensor>, HostTensor> reference,
        bool quick = true,
        NumericBound? bound = null)
        => new(op, $"{name}", dtype, inputs, run, reference, bound ?? NumericBound.For(dtype), quick);

    /// <summary>"[2, 33, 65]".</summary>
    internal static string S(params int[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>"bf16".</summary>
    internal static string Name(DType dtype) => dtype.ToString().ToLowerInvariant();

    /// <summary>A seed per case and input, so no two inputs share values.</summary>
    internal static int Seed(string op, string name, int input) => StableHash($"{op}|{name}|{input}");

    private static int StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and the inputs must be the same on every run.
        uint hash = 2166136261;
        foreach (char ch in text)
        {
            hash = (hash ^ ch) * 16777619;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
