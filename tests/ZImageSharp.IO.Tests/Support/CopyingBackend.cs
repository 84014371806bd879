using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Support;

/// <summary>
/// The CPU backend seen through plain <see cref="IBackend"/> (not <see cref="IHostMemoryBackend"/>), as a device backend
/// would be: loaders must upload instead of wrapping mapped memory. Counts uploads to observe chunking.
/// </summary>
public sealed class CopyingBackend : IBackend
{
    private readonly CpuBackend _cpu = CpuBackend.Default;

    public int Uploads { get; private set; }

    public string Name => "copying-cpu";

    public IKernels Kernels => _cpu.Kernels;

    public bool Supports(OpKind op, DType dtype) => _cpu.Supports(op, dtype);

    public Storage Allocate(long byteLength) => _cpu.Allocate(byteLength);

    public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset)
    {
        Uploads++;
        _cpu.Upload(source, destination, byteOffset);
    }

    public void Download(Storage source, long byteOffset, Span<byte> destination) => _cpu.Download(source, byteOffset, destination);

    public void Synchronize() => _cpu.Synchronize();
}
