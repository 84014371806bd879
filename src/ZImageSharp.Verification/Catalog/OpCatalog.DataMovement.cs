using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

// Copy and cast (strided views, into slices), fill, index-select: all bit-exact, casts included (round to nearest even).
public static partial class OpCatalog
{
    private static IEnumerable<OpCase> DataMovement()
    {
        // Strided views made contiguous: a transposed matrix and rows narrowed out of a wider buffer.
        foreach (DType dtype in new[] { DType.F32, DType.BF16, DType.F16 })
        {
            int[] shape = [37, 53];
            yield return Case("copy", $"{S(shape)} transposed view", dtype,
                () => [SeededInputs.Normal(Seed("copy.t", S(shape), 0), dtype, shape).As(InputView.Transposed)],
                (_, t) => Ops.Contiguous(t[0]),
                h => h[0], bound: NumericBound.Exact);
        }

        int[] padded = [5, 7, 33];
        yield return Case("copy", $"{S(padded)} row slice view", DType.BF16,
            () => [SeededInputs.Normal(Seed("copy.p", S(padded), 0), DType.BF16, padded).As(InputView.Padded)],
            (_, t) => Ops.Contiguous(t[0]),
            h => h[0], bound: NumericBound.Exact);

        // Casts between every float pair, float → int (truncation), int → float; one from a transposed view.
        (DType From, DType To, InputView View)[] casts =
        [
            (DType.F32, DType.BF16, InputView.Contiguous), (DType.F32, DType.F16, InputView.Contiguous),
            (DType.BF16, DType.F32, InputView.Contiguous), (DType.F16, DType.F32, InputView.Contiguous),
            (DType.BF16, DType.F16, InputView.Contiguous), (DType.F32, DType.BF16, InputView.Transposed),
            (DType.F32, DType.I32, InputView.Contiguous), (DType.I64, DType.F32, InputView.Contiguous),
            (DType.U8, DType.BF16, InputView.Contiguous), (DType.I32, DType.I64, InputView.Contiguous),
        ];
        foreach ((DType from, DType to, InputView view) in casts)
        {
            int[] shape = [3, 333];
            string name = $"{S(shape)} {Name(from)}→{Name(to)}{(view == InputView.Transposed ? " transposed view" : string.Empty)}";
            yield return Case("cast", name, to,
                () => [from.IsFloatingPoint()
                    ? SeededInputs.Normal(Seed("cast", name, 0), from, shape, scale: to.IsInteger() ? 60 : 3).As(view)
                    : SeededInputs.Integers(Seed("cast", name, 0), from, shape, 200)],
                (_, t) => Ops.Cast(t[0], to),
                h => ReferenceOps.Cast(h[0], to), bound: NumericBound.Exact);
        }

        // Concatenation writes each part into a slice of the result (a strided destination).
        foreach (DType dtype in Floats)
        {
            int[] a = [3, 5, 7], b = [3, 2, 7];
            yield return Case("concat", $"{S(a)} ++ {S(b)} dim 1", dtype,
                () => [SeededInputs.Normal(Seed("concat", S(a), 0), dtype, a), SeededInputs.Normal(Seed("concat", S(b), 1), dtype, b)],
                (_, t) => Ops.Concat([t[0], t[1]], 1),
                h => ReferenceOps.Concat([h[0], h[1]], 1), bound: NumericBound.Exact);
            int[] c = [4, 9], d = [4, 1], e = [4, 16];
            yield return Case("concat", $"{S(c)} ++ {S(d)} ++ {S(e)} dim -1", dtype,
                () => [SeededInputs.Normal(Seed("concat3", S(c), 0), dtype, c), SeededInputs.Normal(Seed("concat3", S(d), 1), dtype, d), SeededInputs.Normal(Seed("concat3", S(e), 2), dtype, e)],
                (_, t) => Ops.Concat([t[0], t[1], t[2]], -1),
                h => ReferenceOps.Concat([h[0], h[1], h[2]], 1), bound: NumericBound.Exact);
        }

        // A cast straight into a column slice of a zeroed bf16 matrix.
        yield return Case("copy", "f32 [6, 4] into bf16 [6, 10][:, 3:7]", DType.BF16,
            () => [SeededInputs.Normal(Seed("copy.slice", "x", 0), DType.F32, [6, 4])],
            (backend, t) =>
            {
                Tensor destination = Tensor.Zeros(backend, new Shape(6, 10), DType.BF16);
                using Tensor slice = destination.Narrow(1, 3, 4);
                Ops.Copy(t[0], slice);
                return destination;
            },
            h =>
            {
                HostTensor result = HostTensor.Zeros(6, 10);
                for (int i = 0; i < 6; i++)
                {
                    for (int j = 0; j < 4; j++)
                    {
                        result[i, j + 3] = ReferenceOps.RoundTo(h[0][i, j], DType.BF16);
                    }
                }

                return result;
            },
            bound: NumericBound.Exact);

        foreach (DType dtype in new[] { DType.F32, DType.BF16, DType.F16, DType.I32 })
        {
            const double value = -0.3;
            yield return Case("fill", $"[5, 77] = {value}", dtype,
                () => [],
                (backend, _) =>
                {
                    Tensor t = Tensor.Empty(backend, new Shape(5, 77), dtype);
                    Ops.Fill(t, value);
                    return t;
                },
                _ => new HostTensor([5, 77], Enumerable.Repeat(ReferenceOps.RoundTo(value, dtype), 5 * 77).ToArray()),
                bound: NumericBound.Exact);
        }

        yield return Case("fill", "[6, 10][:, 2:9] = 2.5 (strided)", DType.BF16,
            () => [],
            (backend, _) =>
            {
                Tensor t = Tensor.Zeros(backend, new Shape(6, 10), DType.BF16);
                using Tensor slice = t.Narrow(1, 2, 7);
                Ops.Fill(slice, 2.5);
                return t;
            },
            _ =>
            {
                HostTensor result = HostTensor.Zeros(6, 10);
                for (int i = 0; i < 6; i++)
                {
                    for (int j = 2; j < 9; j++)
                    {
                        result[i, j] = 2.5;
                    }
                }

                return result;
            },
            bound: NumericBound.Exact);

        // Gathers: an embedding lookup (rows of a bf16 table by I64 ids) and a gather along a middle dimension (I32).
        int[] table = [300, 2560];
        yield return Case("index-select", $"{S(table)} rows by 77 i64 ids", DType.BF16,
            () => [SeededInputs.Normal(Seed("index", S(table), 0), DType.BF16, table), SeededInputs.Integers(Seed("index", S(table), 1), DType.I64, [77], table[0])],
            (_, t) => Ops.IndexSelect(t[0], t[1], 0),
            h => ReferenceOps.IndexSelect(h[0], Array.ConvertAll(h[1].Data, v => (long)v), 0), bound: NumericBound.Exact);
        int[] cube = [3, 40, 8];
        yield return Case("index-select", $"{S(cube)} dim 1 by 9 i32 ids", DType.F32,
            () => [SeededInputs.Normal(Seed("index", S(cube), 0), DType.F32, cube), SeededInputs.Integers(Seed("index", S(cube), 1), DType.I32, [9], cube[1])],
            (_, t) => Ops.IndexSelect(t[0], t[1], 1),
            h => ReferenceOps.IndexSelect(h[0], Array.ConvertAll(h[1].Data, v => (long)v), 1), bound: NumericBound.Exact);
    }
}
