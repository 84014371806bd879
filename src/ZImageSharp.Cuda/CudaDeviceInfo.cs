namespace ZImageSharp.Cuda;

/// <summary>Facts about the GPU a <see cref="CudaBackend"/> runs on.</summary>
/// <param name="Index">The CUDA device ordinal.</param>
/// <param name="Name">The device name (e.g. "NVIDIA H200").</param>
/// <param name="ComputeCapabilityMajor">Compute capability, major part (9 for Hopper).</param>
/// <param name="ComputeCapabilityMinor">Compute capability, minor part.</param>
/// <param name="TotalMemoryBytes">Device memory in bytes.</param>
/// <param name="MultiprocessorCount">Number of streaming multiprocessors.</param>
/// <param name="DriverVersion">The driver's CUDA version (e.g. "12.8").</param>
public sealed record CudaDeviceInfo(
    int Index,
    string Name,
    int ComputeCapabilityMajor,
    int ComputeCapabilityMinor,
    long TotalMemoryBytes,
    int MultiprocessorCount,
    string DriverVersion);
