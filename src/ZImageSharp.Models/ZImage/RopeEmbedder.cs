using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// The DiT's 3-axis rotary tables. Axis a (width d_a of the head, positions 0…axes_lens[a]−1) has frequencies
/// ω_j = 1/θ^(2j/d_a) in f64; the angle pos·ω_j is computed in f64 and rounded to f32, and its cos/sin taken. A token
/// with position ids (p0, p1, p2) gets the concatenation [axis 0 | axis 1 | axis 2] of its three rows: headDim/2
/// angles, applied to interleaved pairs (x[2m], x[2m+1]).
/// </summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>RopeEmbedder.precompute_freqs_cis</c> and <c>__call__</c>.</remarks>
public sealed class RopeEmbedder
{
    private readonly int[] _axesDims;
    private readonly int[] _axesLens;
    private readonly float[][] _cos;
    private readonly float[][] _sin;

    /// <summary>Precomputes the per-axis tables (host memory: Σ axes_lens·d_a/2 entries, 0.2 MB for Turbo).</summary>
    public RopeEmbedder(double theta, IReadOnlyList<int> axesDims, IReadOnlyList<int> axesLens)
    {
        ArgumentNullException.ThrowIfNull(axesDims);
        ArgumentNullException.ThrowIfNull(axesLens);
        if (axesDims.Count != axesLens.Count)
        {
            throw new ArgumentException($"{axesDims.Count} axes_dims but {axesLens.Count} axes_lens.", nameof(axesLens));
        }

        _axesDims = [.. axesDims];
        _axesLens = [.. axesLens];
        _cos = new float[_axesDims.Length][];
        _sin = new float[_axesDims.Length][];
        for (int a = 0; a < _axesDims.Length; a++)
        {
            (_cos[a], _sin[a]) = AxisTable(theta, _axesDims[a], _axesLens[a]);
        }

        HalfDim = _axesDims.Sum() / 2;
    }

    /// <summary>Number of angles per token (headDim / 2).</summary>
    public int HalfDim { get; }

    /// <summary>Number of position axes (3).</summary>
    public int Axes => _axesDims.Length;

    /// <summary>
    /// Gathers the tables of a batch of token sequences into [B, maxLength, headDim/2] cos and sin tensors; rows past
    /// an item's own length are zero (as the reference's zero-padded complex factors).
    /// </summary>
    /// <param name="backend">Where the tables go.</param>
    /// <param name="positions">Per item, its tokens' position ids row-major [length_i, Axes].</param>
    /// <param name="maxLength">The batch's padded length (≥ every length_i).</param>
    /// <exception cref="ArgumentOutOfRangeException">When a position is outside its axis' table (axes_lens): a caption too long or an image too large for the model.</exception>
    public (Tensor Cos, Tensor Sin) Tables(IBackend backend, IReadOnlyList<int[]> positions, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(positions);
        var cos = new float[positions.Count * maxLength * HalfDim];
        var sin = new float[cos.Length];
        for (int b = 0; b < positions.Count; b++)
        {
            int[] ids = positions[b];
            int length = ids.Length / Axes;
            if (length > maxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(maxLength), $"item {b} has {length} tokens, more than the padded length {maxLength}.");
            }

            Gather(ids, cos.AsSpan(b * maxLength * HalfDim, length * HalfDim), sin.AsSpan(b * maxLength * HalfDim, length * HalfDim));
        }

        var shape = new Shape(positions.Count, maxLength, HalfDim);
        return (Tensor.From<float>(backend, cos, shape), Tensor.From<float>(backend, sin, shape));
    }

    /// <summary>Writes each token's [axis 0 | axis 1 | axis 2] row of angles' cos and sin.</summary>
    private void Gather(int[] ids, Span<float> cos, Span<float> sin)
    {
        int length = ids.Length / Axes;
        for (int t = 0; t < length; t++)
        {
            int column = t * HalfDim;
            for (int a = 0; a < Axes; a++)
            {
                int position = ids[(t * Axes) + a];
                if ((uint)position >= (uint)_axesLens[a])
                {
                    throw new ArgumentOutOfRangeException(nameof(ids), $"token {t} has position {position} on RoPE axis {a}, outside [0, {_axesLens[a]}) (axes_lens): the caption is too long or the image too large for this model.");
                }

                int n = _axesDims[a] / 2;
                _cos[a].AsSpan(position * n, n).CopyTo(cos.Slice(column, n));
                _sin[a].AsSpan(position * n, n).CopyTo(sin.Slice(column, n));
                column += n;
            }
        }
    }

    /// <summary>cos and sin [length, d/2] of one axis, with the reference's f64 angles rounded to f32.</summary>
    private static (float[] Cos, float[] Sin) AxisTable(double theta, int d, int length)
    {
        int n = d / 2;
        var frequencies = new double[n];
        for (int j = 0; j < n; j++)
        {
            // torch: 1.0 / theta ** (arange(0, d, 2, f64) / d)
            frequencies[j] = 1.0 / Math.Pow(theta, (2.0 * j) / d);
        }

        var cos = new float[length * n];
        var sin = new float[length * n];
        for (int p = 0; p < length; p++)
        {
            for (int j = 0; j < n; j++)
            {
                // outer(pos, ω) in f64, then .float(): the rounding to f32 happens before cos/sin (polar of an f32 angle).
                float angle = (float)(p * frequencies[j]);
                cos[(p * n) + j] = (float)Math.Cos(angle);
                sin[(p * n) + j] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }
}
