namespace ZImageSharp.Tensors;

/// <summary>
/// A compute device: it owns memory (<see cref="Storage"/>) and runs the op set (<see cref="IKernels"/>).
/// Model code never names a backend; it receives one and passes it to tensor factories.
/// </summary>
public interface IBackend
{
    /// <summary>Short name used in messages: "cpu", "cuda:0".</summary>
    string Name { get; }

    /// <summary>The op set. Arguments are validated by <see cref="Ops"/> before they reach it.</summary>
    IKernels Kernels { get; }

    /// <summary>Whether <see cref="Kernels"/> implements an op for a dtype; when not, <see cref="Ops"/> uses a composite.</summary>
    bool Supports(OpKind op, DType dtype);

    /// <summary>Allocates uninitialised memory.</summary>
    /// <exception cref="DeviceOutOfMemoryException">When the device cannot provide the memory; the message says how much was asked.</exception>
    Storage Allocate(long byteLength);

    /// <summary>Copies host bytes into a storage at a byte offset.</summary>
    void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset);

    /// <summary>Copies bytes from a storage at a byte offset to the host.</summary>
    void Download(Storage source, long byteOffset, Span<byte> destination);

    /// <summary>Waits until all queued work has finished.</summary>
    void Synchronize();
}
