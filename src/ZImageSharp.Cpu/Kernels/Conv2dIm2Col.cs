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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackPanel(int batch, int k0, int kc, int j0, int cols, int nr, float* destination)
    {
        int taps = _kernelHeight * _kernelWidth;
        long image = _offset + ((long)batch * _channels * _height * _width);
        for (int kk = 0; kk < kc; kk++)
        {
            int k = k0 + kk;
            int channel = k / taps;
            int tap = k - (channel * taps);
            int ky = tap / _kernelWidth;
            int kx = tap - (ky * _kernelWidth);
            float* row = destination + ((long)kk * nr);
            PackRow(image + ((long)channel * _height * _width), ky, kx, j0, cols, row);
            if (cols < nr)
            {
                new Span<float>(row + cols, nr - cols).Clear();
            }
        }
    }

    /// <summary>Output pixels j0..j0+cols of one (channel, ky, kx) row of the unfolded matrix, a run of output columns
    /// at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackRow(long plane, int ky, int kx, int j0, int cols, float* row)
    {
        int s = _stride;
        int shift = kx - _padLeft;

        // Output columns whose input column ox·s + shift lies inside the image.
        int firstValid = shift >= 0 ? 0 : (-shift + s - 1) / s;
        int lastValid = _width - 1 - shift >= 0 ? (_width - 1 - shift) / s : -1;
        int done = 0;
        while (done < cols)
        {
            int j = j0 + done;
            int oy = j / _outWidth;
            int ox = j - (oy * _outWidth);
            int run = Math.Min(_outWidth - ox, cols - done);
            float* d = row + done;
            int iy = (oy * s) + ky - _padTop;
            int from = Math.Max(ox, firstValid);
            int to = Math.Min(ox + run - 1, lastValid);
            if (iy < 0 || iy >= _height || from > to)
            {
                new Span<float>(d, run).Clear();
            }
            else
            {
                new Span<float>(d, from - ox).Clear();
                long start = plane + ((long)iy * _width) + (from * s) + shift;
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
                new Span<float>(d + (to - ox + 1), ox + run - 1 - to).Clear();
            }

            done += run;
        }
    }
}
