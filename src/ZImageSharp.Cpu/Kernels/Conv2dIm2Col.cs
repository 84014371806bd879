using System.Runtime.CompilerServices;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// Implicit im2col: the GEMM right-hand operand of a convolution, B[(ci, ky, kx), (oy, ox)] =
/// x[n, ci, oy·s + ky − padTop, ox·s + kx − padLeft] (zero outside the image), packed panel by panel straight from the
/// NCHW input. No unfolded copy of the input exists, so scratch stays at the GEMM's bounded panel buffers whatever the
/// image size.
/// </summary>
/// <remarks>Unsafe: <see cref="Conv2dIm2Col(byte*, DType, long, int, int, int, int, int, Conv2dParams, int)"/> takes the
/// base of a contiguous [N, Cin, H, W] input that outlives the GEMM.</remarks>
internal readonly unsafe struct Conv2dIm2Col : IGemmPanelSource
{
    private readonly byte* _storage;
    private readonly DType _dtype;
    private readonly long _offset;
    private readonly int _channels;
    private readonly int _height;
    private readonly int _width;
    private readonly int _kernelHeight;
    private readonly int _kernelWidth;
    private readonly int _stride;
    private readonly int _padTop;
    private readonly int _padLeft;
    private readonly int _outWidth;

    public Conv2dIm2Col(byte* storage, DType dtype, long offset, int channels, int height, int width, int kernelHeight, int kernelWidth, Conv2dParams parameters, int outWidth)
    {
        _storage = storage;
        _dtype = dtype;
        _offset = offset;
        _channels = channels;
        _height = height;
        _width = width;
        _kernelHeight = kernelHeight;
        _kernelWidth = kernelWidth;
        _stride = parameters.Stride;
        _padTop = parameters.PadTop;
        _padLeft = parameters.PadLeft;
        _outWidth = outWidth;
    }

    /// <summary>Panels packed per pass: bounds the run table on the stack (a shared slice can be thousands of columns).</summary>
    private const int PanelsPerPass = 16;

    public void PackPanels(int batch, int k0, int kc, int j0, int cols, int nr, float* destination)
    {
        long panelStride = (long)kc * nr;
        for (int p = 0; p * nr < cols; p += PanelsPerPass)
        {
            PackPass(batch, k0, kc, j0 + (p * nr), Math.Min(cols - (p * nr), PanelsPerPass * nr), nr, destination + (p * panelStride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackPass(int batch, int k0, int kc, int j0, int cols, int nr, float* destination)
    {
        // The block's columns as runs that stay inside one output row and one panel — the same for every k row, so
        // computed once. Each run: destination offset of its k-row-0 element, length, input row at ky = 0, first ox.
        int panels = (cols + nr - 1) / nr;
        long panelStride = (long)kc * nr;
        Span<long> runs = stackalloc long[4 * (cols + panels + 2)];
        int count = 0;
        for (int done = 0; done < cols; count += 4)
        {
            int j = j0 + done;
            int oy = j / _outWidth;
            int ox = j - (oy * _outWidth);
            int panel = done / nr;
            int length = Math.Min(Math.Min(_outWidth - ox, cols - done), ((panel + 1) * nr) - done);
            runs[count] = (panel * panelStride) + (done - (panel * nr));
            runs[count + 1] = length;
            runs[count + 2] = ((long)oy * _stride) - _padTop;
            runs[count + 3] = ox;
            done += length;
        }

        int taps = _kernelHeight * _kernelWidth;
        int channel = k0 / taps;
        int ky = (k0 - (channel * taps)) / _kernelWidth;
        int kx = k0 - (channel * taps) - (ky * _kernelWidth);
        long planeSize = (long)_height * _width;
        long image = _offset + (batch * _channels * planeSize);
        int tail = (panels * nr) - cols;
        float* lastPanel = destination + ((panels - 1) * panelStride) + (nr - tail);
        for (int kk = 0; kk < kc; kk++)
        {
            PackRow(runs[..count], image + (channel * planeSize), ky, kx, destination + ((long)kk * nr));
            GemmPacking.Zero(lastPanel + ((long)kk * nr), tail);

            // Next (channel, ky, kx) in row-major order of the weight's trailing dimensions.
            if (++kx == _kernelWidth)
            {
                kx = 0;
                if (++ky == _kernelHeight)
                {
                    ky = 0;
                    channel++;
                }
            }
        }
    }

    /// <summary>One (channel, ky, kx) row of the unfolded matrix, written run by run into the panels' k row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackRow(ReadOnlySpan<long> runs, long plane, int ky, int kx, float* row)
    {
        int s = _stride;
        int shift = kx - _padLeft;

        // Output columns whose input column ox·s + shift lies inside the image (no division for stride 1).
        int firstValid = shift >= 0 ? 0 : s == 1 ? -shift : (-shift + s - 1) / s;
        int lastValid = _width - 1 - shift < 0 ? -1 : s == 1 ? _width - 1 - shift : (_width - 1 - shift) / s;
        for (int r = 0; r < runs.Length; r += 4)
        {
            float* d = row + runs[r];
            int run = (int)runs[r + 1];
            long iy = runs[r + 2] + ky;
            int ox = (int)runs[r + 3];
            int from = Math.Max(ox, firstValid);
            int to = Math.Min(ox + run - 1, lastValid);
            if (iy < 0 || iy >= _height || from > to)
            {
                GemmPacking.Zero(d, run);
                continue;
            }

            GemmPacking.Zero(d, from - ox);
            long start = plane + (iy * _width) + (from * s) + shift;
            int count = to - from + 1;
            if (s == 1 && _dtype == DType.F32)
            {
                GemmPacking.Copy((float*)_storage + start, d + (from - ox), count);
            }
            else if (s == 1 && _dtype == DType.BF16)
            {
                GemmPacking.Widen((ushort*)_storage + start, d + (from - ox), count);
            }
            else
            {
                RowIO.Load(_storage, _dtype, start, s, new Span<float>(d + (from - ox), count));
            }

            GemmPacking.Zero(d + (to - ox + 1), ox + run - 1 - to);
        }
    }
}
