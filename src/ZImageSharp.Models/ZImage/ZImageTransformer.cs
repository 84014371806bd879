using System.Globalization;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// The Z-Image S3-DiT (diffusers <c>ZImageTransformer2DModel</c>, text-to-image mode): image tokens are refined on
/// their own (noise refiner, modulated), caption tokens on their own (context refiner, not modulated), then the
/// sequence [image ; caption] of each item runs through the main blocks, and the image rows become the output.
/// Activations are f32; weights keep their checkpoint dtype.
/// </summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>ZImageTransformer2DModel.forward</c> (spec 2.3).</remarks>
public sealed class ZImageTransformer : IDisposable
{
    private readonly RopeEmbedder _rope;
    private readonly TimestepEmbedder _tEmbedder;
    private readonly Linear _xEmbedder;
    private readonly RmsNorm _capNorm;
    private readonly Linear _capEmbedder;
    private readonly Tensor _xPadToken;
    private readonly Tensor _capPadToken;
    private readonly ZImageTransformerBlock[] _noiseRefiner;
    private readonly ZImageTransformerBlock[] _contextRefiner;
    private readonly ZImageTransformerBlock[] _layers;
    private readonly FinalLayer _finalLayer;

    /// <summary>Loads every weight by its diffusers name; on any failure disposes what was loaded.</summary>
    private ZImageTransformer(ZImageTransformerConfig config, WeightMap weights)
    {
        Config = config;
        _rope = new RopeEmbedder(config.RopeTheta, config.AxesDims, config.AxesLens);
        _noiseRefiner = new ZImageTransformerBlock[config.NRefinerLayers];
        _contextRefiner = new ZImageTransformerBlock[config.NRefinerLayers];
        _layers = new ZImageTransformerBlock[config.NLayers];
        try
        {
            _tEmbedder = new TimestepEmbedder(weights.Sub("t_embedder"), config.AdaLnDim);
            _xEmbedder = new Linear(weights.Sub("all_x_embedder").Sub(config.PatchKey), config.PatchVectorLength, config.Dim, bias: true);
            _capNorm = new RmsNorm(weights.Sub("cap_embedder").Sub("0"), config.CapFeatDim, config.NormEps);
            _capEmbedder = new Linear(weights.Sub("cap_embedder").Sub("1"), config.CapFeatDim, config.Dim, bias: true);
            _xPadToken = weights.Get("x_pad_token", new Shape(1, config.Dim));
            _capPadToken = weights.Get("cap_pad_token", new Shape(1, config.Dim));
            LoadBlocks(_noiseRefiner, config, weights.Sub("noise_refiner"), modulated: true);
            LoadBlocks(_contextRefiner, config, weights.Sub("context_refiner"), modulated: false);
            LoadBlocks(_layers, config, weights.Sub("layers"), modulated: true);
            _finalLayer = new FinalLayer(config, weights.Sub("all_final_layer").Sub(config.PatchKey));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The configuration.</summary>
    public ZImageTransformerConfig Config { get; }

    /// <summary>
    /// Loads the model strictly: every tensor the configuration needs must be present with its exact shape, and every
    /// tensor of <paramref name="weights"/> must be used (521 for Turbo).
    /// </summary>
    /// <param name="weights">The diffusers-format transformer checkpoint (names such as <c>layers.0.attention.to_q.weight</c>).</param>
    /// <param name="config">Its configuration (<see cref="ZImageTransformerConfig.Load"/> or <see cref="ZImageTransformerConfig.Turbo"/>).</param>
    /// <exception cref="ConfigException">When the configuration is invalid.</exception>
    /// <exception cref="IO.Checkpoints.CheckpointException">For a missing tensor, a wrong shape (naming the tensor and both shapes) or unused tensors (listing them).</exception>
    public static ZImageTransformer Load(WeightMap weights, ZImageTransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate("transformer config");

        // The weights outlive any scope of the caller.
        using (TensorScope.Suspend())
        {
            var model = new ZImageTransformer(config, weights);
            try
            {
                weights.ThrowIfUnused();
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
    }

    /// <summary>Predicts the flow velocity v = x0 − ε for a batch (not negated: the pipeline's scheduler negates it).</summary>
    /// <param name="latents">Per item [C, F, H, W], any float dtype; sizes may differ between items (H, W even; F = 1 for images).</param>
    /// <param name="timesteps">F32 [B]: model time t = (1000 − scheduler_t)/1000, 0 = pure noise; the model multiplies by t_scale.</param>
    /// <param name="captions">Per item [L_i, cap_feat_dim], L_i ≥ 1: only the prompt's valid text-encoder rows.</param>
    /// <param name="trace">When given, receives the intermediates under the reference fixture's names.</param>
    /// <returns>Per item F32 [C, F, H, W]; the caller owns them.</returns>
    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> latents, Tensor timesteps, IReadOnlyList<Tensor> captions, ZImageForwardTrace? trace = null)
    {
        SequenceLayout layout = SequenceLayout.Plan(Config, latents, timesteps, captions);
        using var scope = TensorScope.Begin();

        // 1. adaLN input c = t_embedder(t · t_scale): [B, min(dim, 256)], shared by every modulated block and the final layer.
        Tensor adaLn = _tEmbedder.Forward(Ops.Affine(ToF32(timesteps), (float)Config.TScale, 0f));
        trace?.Record("inter.t_embedder.out", adaLn);

        // 2. Image stream [B, Lx, dim]: its own attention, modulated.
        Tensor x = EmbedImages(latents, layout, trace);
        Tensor xRefined = RunBlocks(_noiseRefiner, x, layout.ImagePositions, layout.ImageLengths, adaLn, "x", "noise_refiner", trace);

        // 3. Caption stream [B, Lc, dim]: its own attention, not modulated.
        Tensor cap = EmbedCaptions(captions, layout, trace);
        Tensor capRefined = RunBlocks(_contextRefiner, cap, layout.CaptionPositions, layout.CaptionLengths, null, "cap", "context_refiner", trace);
        x.Dispose();
        cap.Dispose();

        // 4. Unified stream [B, Lx_i + Lc_i (batch-padded), dim], image first: joint attention, modulated.
        Tensor unified = SequenceBatch.Join(xRefined, layout.ImageLengths, capRefined, layout.CaptionLengths);
        xRefined.Dispose();
        capRefined.Dispose();
        Tensor hidden = RunBlocks(_layers, unified, layout.UnifiedPositions, layout.UnifiedLengths, adaLn, "unified", "layers", trace);
        unified.Dispose();

        // 5. Final layer [B, S, pF·p·p·C]; each item's first Ft·Ht·Wt rows are its image patches.
        trace?.Record("inter.final_layer_in", hidden);
        Tensor patches = _finalLayer.Forward(hidden, adaLn);
        trace?.Record("inter.final_layer.out", patches);
        var outputs = new Tensor[layout.Batch];
        for (int b = 0; b < layout.Batch; b++)
        {
            outputs[b] = scope.Keep(Patchifier.Unpatchify(patches.Select(0, b), latents[b].Shape, Config.PatchSize, Config.FPatchSize));
        }

        return outputs;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Null-tolerant: also called by the constructor when loading fails halfway.
        _tEmbedder?.Dispose();
        _xEmbedder?.Dispose();
        _capNorm?.Dispose();
        _capEmbedder?.Dispose();
        _xPadToken?.Dispose();
        _capPadToken?.Dispose();
        DisposeBlocks(_noiseRefiner);
        DisposeBlocks(_contextRefiner);
        DisposeBlocks(_layers);
        _finalLayer?.Dispose();
    }

    private static void DisposeBlocks(ZImageTransformerBlock[] blocks)
    {
        foreach (ZImageTransformerBlock block in blocks)
        {
            block?.Dispose();
        }
    }

    private static void LoadBlocks(ZImageTransformerBlock[] blocks, ZImageTransformerConfig config, WeightMap weights, bool modulated)
    {
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new ZImageTransformerBlock(config, weights.Sub(i.ToString(CultureInfo.InvariantCulture)), modulated);
        }
    }

    /// <summary>Patchify, pad to 32 by repeating the last token, embed, turn pad rows into <c>x_pad_token</c>, batch.</summary>
    /// <returns>[B, max Lx, dim]</returns>
    private Tensor EmbedImages(IReadOnlyList<Tensor> latents, SequenceLayout layout, ZImageForwardTrace? trace)
    {
        using var scope = TensorScope.Begin();
        var items = new Tensor[layout.Batch];
        for (int b = 0; b < layout.Batch; b++)
        {
            Tensor tokens = Patchifier.Patchify(ToF32(latents[b]), Config.PatchSize, Config.FPatchSize);
            items[b] = SequenceBatch.PadByRepeatingLast(tokens, layout.ImageLengths[b]);
        }

        // The reference embeds the repeated rows too and overwrites them afterwards; the trace shows that state.
        Tensor patches = Ops.Concat(items, 0);
        Tensor embedded = _xEmbedder.Forward(patches);
        if (trace is not null)
        {
            trace.Record("inter.x_patches", patches);
            trace.Record("inter.x_embedder.out", embedded);
            trace.RecordIds("x", layout.ImagePositions, layout.ImageTokens, layout.ImageLengths, patches.Backend);
        }

        return scope.Keep(SequenceBatch.Pack(embedded, layout.ImageTokens, layout.ImageLengths, _xPadToken));
    }

    /// <summary>Pad to 32 by repeating the last row, RMSNorm + Linear, turn pad rows into <c>cap_pad_token</c>, batch.</summary>
    /// <returns>[B, max Lc, dim]</returns>
    private Tensor EmbedCaptions(IReadOnlyList<Tensor> captions, SequenceLayout layout, ZImageForwardTrace? trace)
    {
        using var scope = TensorScope.Begin();
        var items = new Tensor[layout.Batch];
        for (int b = 0; b < layout.Batch; b++)
        {
            items[b] = SequenceBatch.PadByRepeatingLast(ToF32(captions[b]), layout.CaptionLengths[b]);
        }

        Tensor features = Ops.Concat(items, 0);
        Tensor embedded = _capEmbedder.Forward(_capNorm.Forward(features));
        if (trace is not null)
        {
            trace.Record("inter.cap_feats_cat", features);
            trace.Record("inter.cap_embedder.out", embedded);
            trace.RecordIds("cap", layout.CaptionPositions, layout.CaptionTokens, layout.CaptionLengths, features.Backend);
        }

        return scope.Keep(SequenceBatch.Pack(embedded, layout.CaptionTokens, layout.CaptionLengths, _capPadToken));
    }

    /// <summary>Runs a stack of blocks over one stream with its RoPE tables and, when items differ in length, its key mask.</summary>
    /// <param name="blocks">The stack.</param>
    /// <param name="input">[B, L, dim]; left to the caller to dispose.</param>
    /// <param name="positions">Per item its tokens' position ids.</param>
    /// <param name="lengths">Per item its length (≤ L).</param>
    /// <param name="adaLn">[B, min(dim, 256)] or null for un-modulated blocks.</param>
    /// <param name="stream">Trace name of the stream's tables: x, cap or unified.</param>
    /// <param name="stack">Trace name of the blocks: noise_refiner, context_refiner or layers.</param>
    /// <param name="trace">The trace or null.</param>
    /// <returns>[B, L, dim]</returns>
    private Tensor RunBlocks(ZImageTransformerBlock[] blocks, Tensor input, int[][] positions, int[] lengths, Tensor? adaLn, string stream, string stack, ZImageForwardTrace? trace)
    {
        var (cos, sin) = _rope.Tables(input.Backend, positions, input.Shape[1]);
        using Tensor? mask = SequenceBatch.KeyMask(input.Backend, lengths);
        using (cos)
        using (sin)
        {
            if (trace is not null)
            {
                // [B, L, headDim/2, 2] (real, imag): the reference's complex freqs_cis as real pairs.
                trace.Record($"inter.{stream}_freqs_cis", () => Ops.Stack([cos, sin], -1));
                if (mask is not null)
                {
                    trace.Record($"inter.{stream}_attn_mask", mask);
                }
            }

            Tensor h = input.Reshape(input.Shape.ToArray());
            for (int k = 0; k < blocks.Length; k++)
            {
                trace?.Record($"inter.{stack}.{k}.in", h);
                Tensor next;
                using (var scope = TensorScope.Begin())
                {
                    next = scope.Keep(blocks[k].Forward(h, cos, sin, mask, adaLn));
                }

                h.Dispose();
                h = next;
                trace?.Record($"inter.{stack}.{k}.out", h);
            }

            return h;
        }
    }

    private static Tensor ToF32(Tensor t) => t.DType == DType.F32 ? t.Reshape(t.Shape.ToArray()) : Ops.Cast(t, DType.F32);
}
