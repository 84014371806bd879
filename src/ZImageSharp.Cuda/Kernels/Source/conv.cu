// Image ops of the VAE, NCHW, contiguous operands.
//
// zimage_conv2d: implicit GEMM. Output [N, Cout, OH, OW] is the product of the weight matrix [Cout, K] (K = Cin·KH·KW,
// the weight tensor as it lies) with the im2col matrix [K, N·OH·OW], whose columns are gathered from x on the fly
// (zero outside the padding). Each 256-thread block computes a 64 (channels) × 64 (pixels) tile with 16-deep K
// steps staged in shared memory as f32; each thread accumulates a 4 × 4 sub-tile in f32 registers.
#include "common.cuh"

#define ZI_CONV_BM 64
#define ZI_CONV_BN 64
#define ZI_CONV_BK 16
#define ZI_CONV_THREADS 256

extern "C" __global__ void __launch_bounds__(ZI_CONV_THREADS) zimage_conv2d(
    u64 x, int xdt, u64 w, int wdt, u64 bias, int biasDtype, u64 y, int ydt,
    int n, int cin, int h, int width, int cout, int kh, int kw, int oh, int ow, int stride, int padTop, int padLeft)
{
    __shared__ float as[ZI_CONV_BK][ZI_CONV_BM];
    __shared__ float bs[ZI_CONV_BK][ZI_CONV_BN];
    const i64 k = (i64)cin * kh * kw;
    const i64 ohw = (i64)oh * ow;
    const i64 pixels = (i64)n * ohw;
    const int khw = kh * kw;
    const int tid = threadIdx.x;
    const i64 p0 = (i64)blockIdx.x * ZI_CONV_BN;
    const int m0 = blockIdx.y * ZI_CONV_BM;

    // im2col loads: this thread always fills column bc, rows br + 4j, so its pixel is decoded once.
    const int bc = tid & (ZI_CONV_BN - 1);
    const int br = tid >> 6;
    const i64 p = p0 + bc;
    const bool pixelValid = p < pixels;
    i64 xBase = 0;
    int iy0 = 0;
    int ix0 = 0;
    if (pixelValid)
    {
        i64 sample = p / ohw;
        i64 pixel = p % ohw;
        iy0 = (int)(pixel / ow) * stride - padTop;
        ix0 = (int)(pixel % ow) * stride - padLeft;
        xBase = sample * cin * h * width;
    }

    // Weight loads: row am, four consecutive k from ak (coalesced in groups of four threads).
    const int am = tid >> 2;
    const int ak = (tid & 3) * 4;

    // Compute mapping: rows ty + 16i, columns tx + 16j (conflict-free shared reads, coalesced stores).
    const int tx = tid & 15;
    const int ty = tid >> 4;
    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
    {
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.0f;
    }

    for (i64 k0 = 0; k0 < k; k0 += ZI_CONV_BK)
    {
#pragma unroll
        for (int j = 0; j < 4; j++)
        {
            i64 kk = k0 + ak + j;
            int m = m0 + am;
            as[ak + j][am] = m < cout && kk < k ? zi_load(w, wdt, (i64)m * k + kk) : 0.0f;
        }

#pragma unroll
        for (int j = 0; j < 4; j++)
        {
            int row = br + 4 * j;
            i64 kk = k0 + row;
            float v = 0.0f;
            if (pixelValid && kk < k)
            {
                int ci = (int)(kk / khw);
                int r = (int)(kk % khw);
                int iy = iy0 + r / kw;
                int ix = ix0 + r % kw;
                if (iy >= 0 && iy < h && ix >= 0 && ix < width)
                {
                    v = zi_load(x, xdt, xBase + ((i64)ci * h + iy) * width + ix);
                }
            }

            bs[row][bc] = v;
        }

        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < ZI_CONV_BK; kk++)
        {
            float a[4];
            float b[4];
#pragma unroll
            for (int i = 0; i < 4; i++)
            {
                a[i] = as[kk][ty + 16 * i];
                b[i] = bs[kk][tx + 16 * i];
            }

#pragma unroll
            for (int i = 0; i < 4; i++)
            {
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
            }
        }

        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; i++)
    {
        int m = m0 + ty + 16 * i;
        if (m >= cout) continue;
        float bm = bias != 0 ? zi_load(bias, biasDtype, m) : 0.0f;
#pragma unroll
        for (int j = 0; j < 4; j++)
        {
            i64 q = p0 + tx + 16 * j;
            if (q < pixels)
            {
                zi_store(y, ydt, ((q / ohw) * cout + m) * ohw + q % ohw, acc[i][j] + bm);
            }
        }
    }
}

// Nearest-neighbour upsampling of contiguous [N·C, H, W] by an integer factor; moves element bytes (exact for every dtype).
extern "C" __global__ void zimage_upsample_nearest(u64 x, u64 y, int elementSize, int h, int w, int scale, i64 n)
{
    const i64 ow = (i64)w * scale;
    const i64 oh = (i64)h * scale;
    ZI_GRID_STRIDE(e, n)
    {
        i64 ox = e % ow;
        i64 t = e / ow;
        i64 oy = t % oh;
        i64 plane = t / oh;
        zi_move(x, (plane * h + oy / scale) * w + ox / scale, y, e, elementSize);
    }
}
