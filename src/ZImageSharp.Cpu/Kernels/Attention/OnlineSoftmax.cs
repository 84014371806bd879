using System.Runtime.CompilerServices;
namespace ZImageSharp.Cpu;

/// <summary>
/// The online-softmax step of tiled attention over a transposed score tile Sᵀ [keys × queries] (row j holds key j's
/// scores against every query of the block). Working on Sᵀ makes every statistic a column-wise, purely vertical
/// vector operation: the running max m, running sum l and rescale factor α of all queries update lane-parallel, with no
/// horizontal reductions. Each call turns the tile into probabilities P (still transposed, ready to be the A operand of
/// O += P·V) and updates m, l, α.
/// </summary>
/// <typeparam name="TOps">The vector width.</typeparam>
/// <typeparam name="TV">The vector type of <typeparamref name="TOps"/>.</typeparam>
/// <remarks>Unsafe: the tile holds <c>rows</c> rows of <c>width</c> floats, ld apart; the statistics hold width floats;
/// width is a multiple of the vector count.</remarks>
internal static unsafe class OnlineSoftmax<TOps, TV>
    where TOps : IVectorOps<TV>
    where TV : unmanaged
{
    /// <summary>Masks, exponentiates and folds one key block into the running statistics.</summary>
    /// <param name="scores">Sᵀ tile (already scaled); overwritten with unnormalised probabilities exp(s − m).</param>
    /// <param name="ld">Row stride of the tile.</param>
    /// <param name="rows">Keys in this block.</param>
    /// <param name="width">Queries (columns) to process.</param>
    /// <param name="keyMask">U8 mask of this block's keys (0 = hidden), or null.</param>
    /// <param name="causalShift">When ≥ int.MinValue / 2: first key index minus first query index, and key j is hidden
    /// from query i when j + shift &gt; i; int.MinValue disables the causal mask.</param>
    /// <param name="max">Running max per query (−∞ before any visible key).</param>
    /// <param name="sum">Running sum of exp(s − max) per query.</param>
    /// <param name="alpha">Receives exp(old max − new max): the factor the output rows must be rescaled by.</param>
    /// <param name="shift">Scratch of width floats (the max actually subtracted).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(float* scores, int ld, int rows, int width, byte* keyMask, int causalShift, float* max, float* sum, float* alpha, float* shift)
    {
        int n = TOps.Count;
        float* blockMax = shift;
        TV negativeInfinity = TOps.Splat(float.NegativeInfinity);
        for (int i = 0; i < width; i += n)
        {
            TOps.Store(negativeInfinity, blockMax + i);
        }

        // Pass 1: hide masked scores, take the block max per query.
        for (int j = 0; j < rows; j++)
        {
            float* row = scores + ((long)j * ld);
            int hidden = 0;
            if (keyMask != null && keyMask[j] == 0)
            {
                hidden = width;
            }
            else if (causalShift != int.MinValue)
            {
                hidden = Math.Clamp(causalShift + j, 0, width);
            }

            if (hidden > 0)
            {
                new Span<float>(row, hidden).Fill(float.NegativeInfinity);
            }

            for (int i = hidden / n * n; i < width; i += n)
            {
                TOps.Store(TOps.Max(TOps.Load(blockMax + i), TOps.Load(row + i)), blockMax + i);
            }
        }

        // Pass 2: new max, rescale factor, rescaled sum. A query with no visible key so far keeps max −∞ and subtracts 0,
        // so every exp below is exp(−∞) = 0 instead of NaN.
        for (int i = 0; i < width; i += n)
        {
            TV old = TOps.Load(max + i);
            TV next = TOps.Max(old, TOps.Load(blockMax + i));
            TV subtract = TOps.ZeroIfNegativeInfinity(next);
            TV factor = TOps.Exp(TOps.Subtract(old, subtract));
            TOps.Store(next, max + i);
            TOps.Store(subtract, shift + i);
            TOps.Store(factor, alpha + i);
            TOps.Store(TOps.Multiply(TOps.Load(sum + i), factor), sum + i);
        }

        // Pass 3: probabilities and their sum.
        for (int j = 0; j < rows; j++)
        {
            float* row = scores + ((long)j * ld);
            for (int i = 0; i < width; i += n)
            {
                TV p = TOps.Exp(TOps.Subtract(TOps.Load(row + i), TOps.Load(shift + i)));
                TOps.Store(p, row + i);
                TOps.Store(TOps.Add(TOps.Load(sum + i), p), sum + i);
            }
        }
    }

    /// <summary>Multiplies output row r (of <paramref name="width"/> floats, ld apart) by alpha[r] for r &lt; rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rescale(float* output, int ld, int rows, int width, float* alpha)
    {
        int n = TOps.Count;
        for (int r = 0; r < rows; r++)
        {
            float a = alpha[r];
            if (a == 1f)
            {
                continue;
            }

            TV factor = TOps.Splat(a);
            float* row = output + ((long)r * ld);
            for (int i = 0; i < width; i += n)
            {
                TOps.Store(TOps.Multiply(TOps.Load(row + i), factor), row + i);
            }
        }
    }
}
