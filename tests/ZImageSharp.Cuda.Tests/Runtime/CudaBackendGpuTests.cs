using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Cuda.Tests.Runtime;

/// <summary>The runtime on a real GPU: copies, the probe kernel, the allocator and cuBLASLt against the naive
/// product. Skipped without a GPU (failed instead with ZIMAGE_REQUIRE_CUDA=1, as the device check runs them).</summary>
public sealed class CudaBackendGpuTests
{
    [Fact]
    public void UploadDownload_RoundTrips_AtAnOffset()
    {
        CudaBackend gpu = CudaTestDevice.Require();
        byte[] data = Enumerable.Range(0, 4099).Select(i => (byte)(i * 7)).ToArray();
        Storage storage = gpu.Allocate(5000);
        using Tensor owner = Tensor.FromStorage(storage, new Layout(new Shape(5000)), DType.U8);
        gpu.Upload(data, storage, 901);
        byte[] back = new byte[data.Length];
        gpu.Download(storage, 901, back);
        Assert.Equal(data, back);
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Upload(data, storage, 1000));
    }

    [Fact]
    public void ProbeKernel_WritesHalfItsIndex()
    {
        CudaBackend gpu = CudaTestDevice.Require();
        using Tensor output = Tensor.Empty(gpu, new Shape(1000), DType.F32);
        using var arguments = new KernelArguments();
        ICudaKernelHost host = gpu;
        arguments.Add(host.Address(output.ToRef())).Add(1000);
        host.Launch("probe.cu", "zimage_probe_iota", new Dim3(4), new Dim3(256), 0, arguments);
        float[] values = output.ToArray<float>();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => 0.5f * i), values);
    }

    [Fact]
    public void Allocator_ReusesFreedMemory_AndReportsPeak()
    {
        CudaBackend gpu = CudaTestDevice.Require();
        gpu.ReleaseCachedMemory();
        gpu.ResetPeak();
        long before = gpu.Memory.AllocatedBytes;
        using (Tensor.Empty(gpu, new Shape(1 << 20), DType.F32))
        {
        }

        long hits = gpu.Memory.Hits;
        using (Tensor.Empty(gpu, new Shape(1 << 20), DType.F32))
        {
            Assert.Equal(hits + 1, gpu.Memory.Hits);
        }

        Assert.Equal(before, gpu.Memory.AllocatedBytes);
        Assert.True(gpu.Memory.PeakAllocatedBytes >= before + (4L << 20));
    }

    [Fact]
    public void HugeAllocation_ThrowsOutOfMemory_WithTheNumbers()
    {
        CudaBackend gpu = CudaTestDevice.Require();
        var e = Assert.Throws<DeviceOutOfMemoryException>(() => gpu.Allocate(gpu.Device.TotalMemoryBytes * 2));
        Assert.Contains("requested", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.TotalBytes);
    }

    [Theory]
    [InlineData(DType.F32, false)]
    [InlineData(DType.BF16, false)]
    [InlineData(DType.BF16, true)]
    public void MatMul_MatchesTheNaiveProduct(DType dtype, bool transposedWeight)
    {
        CudaBackend gpu = CudaTestDevice.Require();
        const int m = 67, k = 130, n = 45;
        using Tensor a = TestData.Random(Cpu, new Shape(1, m, k), dtype, seed: 1);
        using Tensor w = transposedWeight ? TestData.Random(Cpu, new Shape(1, n, k), dtype, seed: 2) : TestData.Random(Cpu, new Shape(1, k, n), dtype, seed: 2);
        using Tensor bias = TestData.Random(Cpu, new Shape(n), dtype, seed: 3);
        using Tensor wView = transposedWeight ? w.Transpose(1, 2) : w.Reshape(1, k, n);
        using Tensor expected = Ops.MatMul(a, wView, bias);

        using Tensor ga = a.To(gpu), gw = w.To(gpu), gb = bias.To(gpu);
        using Tensor gwView = transposedWeight ? gw.Transpose(1, 2) : gw.Reshape(1, k, n);
        using Tensor product = Ops.MatMul(ga, gwView, gb);
        using Tensor actual = product.To(Cpu);
        TensorAssert.Close(expected, actual, dtype == DType.F32 ? new Tolerance(1e-5, 1e-5, 1e-10) : new Tolerance(1e-2, 1e-2, 1e-4));
    }

    private static ZImageSharp.Cpu.CpuBackend Cpu => ZImageSharp.Cpu.CpuBackend.Default;
}
