using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>
/// Moves case data between the host and a backend with <see cref="IBackend.Upload"/> and <see cref="IBackend.Download"/>
/// only: no kernel runs, so the op under test is the only code of the backend that touches the values (a broken cast
/// kernel cannot hide behind, or spoil, the checks of the other ops).
/// </summary>
public static class HostTransfer
{
    /// <summary>Extra elements of a <see cref="InputView.Padded"/> input's rows.</summary>
    private const int Padding = 3;

    /// <summary>Uploads the input in its <see cref="HostInput.View"/>; the tensor's logical values are <see cref="HostInput.Values"/>.</summary>
    public static Tensor Upload(IBackend backend, HostInput input)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(input);
        int rank = input.Shape.Length;
        switch (input.View)
        {
            case InputView.Transposed when rank >= 2:
            {
                int[] physical = (int[])input.Shape.Clone();
                (physical[^1], physical[^2]) = (physical[^2], physical[^1]);
                int rows = input.Shape[^2], cols = input.Shape[^1], matrix = rows * cols;
                var values = new double[input.Values.Length];
                for (int m = 0; m < values.Length / Math.Max(matrix, 1); m++)
                {
                    for (int i = 0; i < rows; i++)
                    {
                        for (int j = 0; j < cols; j++)
                        {
                            values[(m * matrix) + (j * rows) + i] = input.Values[(m * matrix) + (i * cols) + j];
                        }
                    }
                }

                using Tensor stored = Contiguous(backend, physical, input.DType, values);
                return stored.TransposeLast();
            }

            case InputView.Padded when rank >= 1:
            {
                int[] physical = (int[])input.Shape.Clone();
                int width = input.Shape[^1];
                physical[^1] = width + Padding;
                var values = new double[input.Values.Length / Math.Max(width, 1) * physical[^1]];
                Array.Fill(values, double.NaN);
                for (int row = 0; row < input.Values.Length / Math.Max(width, 1); row++)
                {
                    Array.Copy(input.Values, row * width, values, (row * physical[^1]) + 1, width);
                }

                using Tensor stored = Contiguous(backend, physical, input.DType, values);
                return stored.Narrow(-1, 1, width);
            }

            default:
                return Contiguous(backend, input.Shape, input.DType, input.Values);
        }
    }

    /// <summary>The tensor's logical values, row-major, whatever its layout.</summary>
    public static double[] Download(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Layout layout = tensor.Layout;
        int size = tensor.DType.ElementSize();
        long extent = layout.End;
        var raw = new byte[checked(extent * size)];
        tensor.Backend.Download(tensor.ToRef().Storage, 0, raw);
        var stored = new float[extent];
        DTypeConversion.ToSingle(raw, tensor.DType, stored);

        var result = new double[tensor.ElementCount];
        ReadOnlySpan<int> dims = layout.Shape.Dims;
        ReadOnlySpan<long> strides = layout.Strides;
        var index = new int[dims.Length];
        for (long flat = 0; flat < result.Length; flat++)
        {
            long rest = flat, position = layout.Offset;
            for (int d = dims.Length - 1; d >= 0; d--)
            {
                index[d] = (int)(rest % dims[d]);
                rest /= dims[d];
                position += index[d] * strides[d];
            }

            result[flat] = stored[position];
        }

        return result;
    }

    private static Tensor Contiguous(IBackend backend, int[] shape, DType dtype, double[] values)
    {
        float[] single = Array.ConvertAll(values, v => (float)v);
        var bytes = new byte[checked((long)single.Length * dtype.ElementSize())];
        DTypeConversion.FromSingle(single, dtype, bytes);
        Tensor t = Tensor.Empty(backend, new Shape(shape), dtype);
        backend.Upload(bytes, t.ToRef().Storage, 0);
        return t;
    }
}
