using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// The CPU implementation of the op set. One partial file per op family (Copy, Elementwise, Norms, Rows, Rope,
/// Upsample, MatMul, Conv2d, Attention); the heavy algorithms live in their own static classes beside them.
/// </summary>
internal sealed partial class CpuKernels : IKernels
{
    private readonly CpuParallel _parallel;

    public CpuKernels(CpuParallel parallel) => _parallel = parallel;
}
