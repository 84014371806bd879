using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Attention (attention.cu): a tiled online-softmax kernel, one 128-thread block per (batch, head, query block).
internal sealed partial class CudaKernels
{
    /// <summary>Keys per shared-memory tile (ZI_ATT_KEYS) and warps per block (ZI_ATT_WARPS).</summary>
    private const int AttentionKeys = 32;
    private const int AttentionWarps = 4;

    /// <summary>Shared memory a launch may use without the host opting the kernel in to more (CUDA's static limit).</summary>
    private const int DefaultSharedMemory = 48 * 1024;

    /// <inheritdoc/>
    public void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination)
    {
        var (batch, hq, sq, d) = q.Shape.Dims4();
        int dv = v.Shape[3];
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int blockQ = AttentionBlockQueries(d, dv, _host.MaxSharedMemoryPerBlock);
        long blocks = (long)batch * hq * ((sq + blockQ - 1) / blockQ);
        if (blocks > LaunchShape.MaxGridX)
        {
            throw new NotSupportedException($"Attention over {blocks} (batch, head, query block) tiles exceeds the CUDA grid.");
        }

        var call = new KernelCall()
            .Add(DescriptorBuilder.Exact(_host, q))
            .Add(DescriptorBuilder.Exact(_host, k))
            .Add(DescriptorBuilder.Exact(_host, v))
            .Add(keyMask is { } mask ? _host.Address(mask) : 0UL)
            .Add(DescriptorBuilder.Exact(_host, destination))
            .Add(causal ? 1 : 0)
            .Add(scale)
            .Add(blockQ);
        var shape = (new Dim3((uint)blocks), new Dim3(AttentionWarps * 32));
        Launch("attention.cu", "zimage_attention", shape, call, AttentionSharedBytes(blockQ, d, dv));
    }

    /// <summary>Shared memory of one attention block: q [blockQ, D], k [32, D + 1], v [32, Dv], p [blockQ, 32], o [blockQ, Dv], f32.</summary>
    internal static int AttentionSharedBytes(int blockQ, int d, int dv) =>
        checked(((blockQ * d) + (AttentionKeys * (d + 1)) + (AttentionKeys * dv) + (blockQ * AttentionKeys) + (blockQ * dv)) * sizeof(float));

    /// <summary>The most queries per block (32, 16, 8 or 4) whose tiles fit in 48 KiB, else 4 if that fits the device's
    /// opt-in limit.</summary>
    /// <exception cref="NotSupportedException">When even 4 queries per block do not fit (very large head dimensions).</exception>
    internal static int AttentionBlockQueries(int d, int dv, int maxSharedMemory)
    {
        for (int blockQ = 32; blockQ >= AttentionWarps; blockQ /= 2)
        {
            if (AttentionSharedBytes(blockQ, d, dv) <= Math.Min(DefaultSharedMemory, maxSharedMemory))
            {
                return blockQ;
            }
        }

        if (AttentionSharedBytes(AttentionWarps, d, dv) <= maxSharedMemory)
        {
            return AttentionWarps;
        }

        throw new NotSupportedException(
            $"Attention with head dimensions {d}/{dv} needs {AttentionSharedBytes(AttentionWarps, d, dv)} bytes of shared memory per block; the device allows {maxSharedMemory}.");
    }
}
