using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZImageSharp.Cpu;

/// <summary>
/// The AVX-512 micro-kernel: a 12×32 C tile in 24 zmm accumulators; per k step two B vectors and twelve A broadcasts
/// feed 24 FMAs (BLIS's skx kernel shape, transposed to row-major C). 24 accumulators + 2 B + 1 broadcast = 27 of 32
/// registers, so the JIT keeps everything in registers (checked with DOTNET_JitDisasm: no spills in the loop).
/// </summary>
/// <remarks>Unsafe: the caller guarantees kc·lda floats at a, kc·ldb floats (NR per step) at b and MR rows of NR
/// floats at c, ldc apart (see <see cref="GemmKernel"/>).</remarks>
internal static unsafe class GemmMicroKernel512
{
    /// <summary>Rows of the C tile (broadcast operand A).</summary>
    public const int MR = 12;

    /// <summary>Columns of the C tile (2 vectors of the B operand).</summary>
    public const int NR = 32;

    /// <summary>C[0..MR, 0..NR] (+)= Σ_k a[k·lda + r] · b[k·ldb + c], see <see cref="GemmKernel"/> for the contract.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71, c80, c81, c90, c91, c100, c101, c110, c111;
        if (accumulate)
        {
            c00 = Vector512.Load(c);
            c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + (1 * ldc));
            c11 = Vector512.Load(c + (1 * ldc) + 16);
            c20 = Vector512.Load(c + (2 * ldc));
            c21 = Vector512.Load(c + (2 * ldc) + 16);
            c30 = Vector512.Load(c + (3 * ldc));
            c31 = Vector512.Load(c + (3 * ldc) + 16);
            c40 = Vector512.Load(c + (4 * ldc));
            c41 = Vector512.Load(c + (4 * ldc) + 16);
            c50 = Vector512.Load(c + (5 * ldc));
            c51 = Vector512.Load(c + (5 * ldc) + 16);
            c60 = Vector512.Load(c + (6 * ldc));
            c61 = Vector512.Load(c + (6 * ldc) + 16);
            c70 = Vector512.Load(c + (7 * ldc));
            c71 = Vector512.Load(c + (7 * ldc) + 16);
            c80 = Vector512.Load(c + (8 * ldc));
            c81 = Vector512.Load(c + (8 * ldc) + 16);
            c90 = Vector512.Load(c + (9 * ldc));
            c91 = Vector512.Load(c + (9 * ldc) + 16);
            c100 = Vector512.Load(c + (10 * ldc));
            c101 = Vector512.Load(c + (10 * ldc) + 16);
            c110 = Vector512.Load(c + (11 * ldc));
            c111 = Vector512.Load(c + (11 * ldc) + 16);
        }
        else
        {
            c00 = Vector512<float>.Zero;
            c01 = Vector512<float>.Zero;
            c10 = Vector512<float>.Zero;
            c11 = Vector512<float>.Zero;
            c20 = Vector512<float>.Zero;
            c21 = Vector512<float>.Zero;
            c30 = Vector512<float>.Zero;
            c31 = Vector512<float>.Zero;
            c40 = Vector512<float>.Zero;
            c41 = Vector512<float>.Zero;
            c50 = Vector512<float>.Zero;
            c51 = Vector512<float>.Zero;
            c60 = Vector512<float>.Zero;
            c61 = Vector512<float>.Zero;
            c70 = Vector512<float>.Zero;
            c71 = Vector512<float>.Zero;
            c80 = Vector512<float>.Zero;
            c81 = Vector512<float>.Zero;
            c90 = Vector512<float>.Zero;
            c91 = Vector512<float>.Zero;
            c100 = Vector512<float>.Zero;
            c101 = Vector512<float>.Zero;
            c110 = Vector512<float>.Zero;
            c111 = Vector512<float>.Zero;
        }

        for (int k = 0; k < kc; k++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            Vector512<float> a8 = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(a8, b1, c81);
            Vector512<float> a9 = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(a9, b1, c91);
            Vector512<float> a10 = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(a10, b1, c101);
            Vector512<float> a11 = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(a11, b1, c111);
            a += lda;
            b += ldb;
        }

        c00.Store(c);
        c01.Store(c + 16);
        c10.Store(c + (1 * ldc));
        c11.Store(c + (1 * ldc) + 16);
        c20.Store(c + (2 * ldc));
        c21.Store(c + (2 * ldc) + 16);
        c30.Store(c + (3 * ldc));
        c31.Store(c + (3 * ldc) + 16);
        c40.Store(c + (4 * ldc));
        c41.Store(c + (4 * ldc) + 16);
        c50.Store(c + (5 * ldc));
        c51.Store(c + (5 * ldc) + 16);
        c60.Store(c + (6 * ldc));
        c61.Store(c + (6 * ldc) + 16);
        c70.Store(c + (7 * ldc));
        c71.Store(c + (7 * ldc) + 16);
        c80.Store(c + (8 * ldc));
        c81.Store(c + (8 * ldc) + 16);
        c90.Store(c + (9 * ldc));
        c91.Store(c + (9 * ldc) + 16);
        c100.Store(c + (10 * ldc));
        c101.Store(c + (10 * ldc) + 16);
        c110.Store(c + (11 * ldc));
        c111.Store(c + (11 * ldc) + 16);
    }
}
