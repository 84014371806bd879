using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// Latent ↔ token conversion of the DiT. Tokens run over the (frame, row, column) patch grid in row-major order; the
/// features of a token are ordered (pf, ph, pw, c), channel fastest — not Flux's (c, ph, pw) packing (spec 2.5).
/// </summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>patchify_and_embed</c> and <c>unpatchify</c>.</remarks>
public static class Patchifier
{
    /// <summary>[C, F, H, W] → [(F/pF)·(H/p)·(W/p), pF·p·p·C], same dtype, contiguous.</summary>
    /// <param name="latent">[C, F, H, W] with F divisible by <paramref name="framePatchSize"/>, H and W by <paramref name="patchSize"/>.</param>
    /// <param name="patchSize">Spatial patch size p.</param>
    /// <param name="framePatchSize">Temporal patch size pF.</param>
    public static Tensor Patchify(Tensor latent, int patchSize, int framePatchSize)
    {
        ArgumentNullException.ThrowIfNull(latent);
        var (c, f, h, w) = latent.Shape.Dims4();
        var (ft, ht, wt) = Grid(latent.Shape, patchSize, framePatchSize);
        using var scope = TensorScope.Begin();

        // view(C, F/pF, pF, H/p, p, W/p, p).permute(1, 3, 5, 2, 4, 6, 0): "c f pf h ph w pw -> (f h w) (pf ph pw c)".
        Tensor grid = latent.Reshape(c, ft, framePatchSize, ht, patchSize, wt, patchSize).Permute(1, 3, 5, 2, 4, 6, 0);
        return scope.Keep(Ops.Contiguous(grid).Reshape(ft * ht * wt, framePatchSize * patchSize * patchSize * c));
    }

    /// <summary>The inverse of <see cref="Patchify"/>: the first (F/pF)·(H/p)·(W/p) rows of <paramref name="tokens"/> → [C, F, H, W].</summary>
    /// <param name="tokens">[N ≥ (F/pF)·(H/p)·(W/p), pF·p·p·C]; rows beyond the image (padding) are ignored.</param>
    /// <param name="latentShape">[C, F, H, W] of the result.</param>
    /// <param name="patchSize">Spatial patch size p.</param>
    /// <param name="framePatchSize">Temporal patch size pF.</param>
    public static Tensor Unpatchify(Tensor tokens, Shape latentShape, int patchSize, int framePatchSize)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var (c, f, h, w) = latentShape.Dims4();
        var (ft, ht, wt) = Grid(latentShape, patchSize, framePatchSize);
        using var scope = TensorScope.Begin();

        // view(F/pF, H/p, W/p, pF, p, p, C).permute(6, 0, 3, 1, 4, 2, 5): "f h w pf ph pw c -> c (f pf) (h ph) (w pw)".
        Tensor grid = tokens.Narrow(0, 0, ft * ht * wt)
            .Reshape(ft, ht, wt, framePatchSize, patchSize, patchSize, c)
            .Permute(6, 0, 3, 1, 4, 2, 5);
        return scope.Keep(Ops.Contiguous(grid).Reshape(c, f, h, w));
    }

    /// <summary>The token grid (F/pF, H/p, W/p) of a [C, F, H, W] latent.</summary>
    /// <exception cref="ArgumentException">When a size is not a multiple of its patch size.</exception>
    public static (int Frames, int Rows, int Columns) Grid(Shape latentShape, int patchSize, int framePatchSize)
    {
        if (latentShape.Rank != 4)
        {
            throw new ArgumentException($"A latent must be [C, F, H, W], found {latentShape}.", nameof(latentShape));
        }

        var (_, f, h, w) = latentShape.Dims4();
        if (f % framePatchSize != 0 || h % patchSize != 0 || w % patchSize != 0 || f == 0 || h == 0 || w == 0)
        {
            throw new ArgumentException($"Latent {latentShape}: F must be a positive multiple of {framePatchSize}, H and W of {patchSize}.", nameof(latentShape));
        }

        return (f / framePatchSize, h / patchSize, w / patchSize);
    }
}
