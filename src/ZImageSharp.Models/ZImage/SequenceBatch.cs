using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// Device-side sequence assembly: padding rows to a multiple of 32, batching variable-length items with zero rows
/// (diffusers' <c>pad_sequence</c>) and the key masks that hide those rows.
/// </summary>
internal static class SequenceBatch
{
    /// <summary>[N, D] → [length, D] by repeating the last row (the reference's <c>feat[-1:].repeat(pad, 1)</c>).</summary>
    /// <param name="rows">[N, D], N ≥ 1.</param>
    /// <param name="length">Target length ≥ N.</param>
    public static Tensor PadByRepeatingLast(Tensor rows, int length)
    {
        int n = rows.Shape[0];
        if (length == n)
        {
            return rows.Reshape(rows.Shape.ToArray());
        }

        using var scope = TensorScope.Begin();
        Tensor repeated = rows.Narrow(0, n - 1, 1).BroadcastTo(new Shape(length - n, rows.Shape[1]));
        return scope.Keep(Ops.Concat([rows, repeated], 0));
    }

    /// <summary>
    /// Batches items stored back to back: item b is <paramref name="lengths"/>[b] rows of <paramref name="rows"/>, of
    /// which the first <paramref name="tokens"/>[b] are kept and the rest become <paramref name="padToken"/>; rows past
    /// an item's length are zero.
    /// </summary>
    /// <param name="rows">[Σ lengths, D]</param>
    /// <param name="tokens">Per item, its real rows.</param>
    /// <param name="lengths">Per item, its padded length.</param>
    /// <param name="padToken">[1, D] learned pad token.</param>
    /// <returns>[B, max length, D]</returns>
    public static Tensor Pack(Tensor rows, int[] tokens, int[] lengths, Tensor padToken)
    {
        using var scope = TensorScope.Begin();
        int dim = rows.Shape[1];
        int max = SequenceLayout.Max(lengths);
        Tensor batch = Tensor.Empty(rows.Backend, new Shape(lengths.Length, max, dim), rows.DType);
        int offset = 0;
        for (int b = 0; b < lengths.Length; b++)
        {
            Tensor item = batch.Select(0, b);
            Ops.Copy(rows.Narrow(0, offset, tokens[b]), item.Narrow(0, 0, tokens[b]));
            int pad = lengths[b] - tokens[b];
            if (pad > 0)
            {
                Ops.Copy(padToken.BroadcastTo(new Shape(pad, dim)), item.Narrow(0, tokens[b], pad));
            }

            ZeroTail(item, lengths[b]);
            offset += lengths[b];
        }

        return scope.Keep(batch);
    }

    /// <summary>Per item [x[b, :xLengths[b]] ; cap[b, :capLengths[b]]], batched with zero rows.</summary>
    /// <param name="x">[B, Lx, D]</param>
    /// <param name="xLengths">Per item, its image rows.</param>
    /// <param name="cap">[B, Lc, D]</param>
    /// <param name="capLengths">Per item, its caption rows.</param>
    /// <returns>[B, max(xLengths + capLengths), D]</returns>
    public static Tensor Join(Tensor x, int[] xLengths, Tensor cap, int[] capLengths)
    {
        using var scope = TensorScope.Begin();
        int batch = xLengths.Length;
        int dim = x.Shape[2];
        var lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            lengths[b] = xLengths[b] + capLengths[b];
        }

        Tensor joined = Tensor.Empty(x.Backend, new Shape(batch, SequenceLayout.Max(lengths), dim), x.DType);
        for (int b = 0; b < batch; b++)
        {
            Tensor item = joined.Select(0, b);
            Ops.Copy(x.Select(0, b).Narrow(0, 0, xLengths[b]), item.Narrow(0, 0, xLengths[b]));
            Ops.Copy(cap.Select(0, b).Narrow(0, 0, capLengths[b]), item.Narrow(0, xLengths[b], capLengths[b]));
            ZeroTail(item, lengths[b]);
        }

        return scope.Keep(joined);
    }

    /// <summary>U8 [B, max] with 1 on each item's rows, or null when all items have the same length (nothing to hide).</summary>
    public static Tensor? KeyMask(IBackend backend, int[] lengths)
    {
        if (!SequenceLayout.NeedsMask(lengths))
        {
            return null;
        }

        int max = SequenceLayout.Max(lengths);
        var mask = new byte[lengths.Length * max];
        for (int b = 0; b < lengths.Length; b++)
        {
            Array.Fill(mask, (byte)1, b * max, lengths[b]);
        }

        return Tensor.From<byte>(backend, mask, new Shape(lengths.Length, max));
    }

    /// <summary>Zeroes rows [length, end) of an item [max, D].</summary>
    private static void ZeroTail(Tensor item, int length)
    {
        int rest = item.Shape[0] - length;
        if (rest > 0)
        {
            Ops.Fill(item.Narrow(0, length, rest), 0);
        }
    }
}
