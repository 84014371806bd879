using System.Runtime.InteropServices;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.IO.Tests.Safetensors;

/// <summary>Loading tensors of every dtype: directly, zero-copy, uploaded in chunks, and converted on request.</summary>
public sealed class ReadTensorTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadTensor_EveryEngineDType_LoadsTheStoredBytes()
    {
        var writer = new SafetensorsWriter();
        writer.Add("f32", SafetensorsDType.F32, [2, 3], Bytes<float>([1.5f, -2, 3, 0, float.MaxValue, float.Epsilon]));
        writer.Add("f16", SafetensorsDType.F16, [3], Bytes<Half>([(Half)1.5f, (Half)(-65504f), Half.NaN]));
        writer.Add("bf16", SafetensorsDType.BF16, [2], Bytes<ushort>([0x3F80, 0xC0A0]));
        writer.Add("i32", SafetensorsDType.I32, [3], Bytes<int>([int.MinValue, 0, int.MaxValue]));
        writer.Add("i64", SafetensorsDType.I64, [2], Bytes<long>([long.MinValue, 42]));
        writer.Add("u8", SafetensorsDType.U8, [4], new byte[] { 0, 1, 128, 255 });
        using SafetensorsFile file = Save(writer);

        using (Tensor t = file.ReadTensor("f32", Cpu))
        {
            Assert.Equal(DType.F32, t.DType);
            Assert.Equal(new Shape(2, 3), t.Shape);
            Assert.Equal([1.5f, -2, 3, 0, float.MaxValue, float.Epsilon], t.ToArray<float>());
        }

        using (Tensor t = file.ReadTensor("f16", Cpu))
        {
            Assert.Equal(file.GetBytes("f16").ToArray(), MemoryMarshal.AsBytes(t.ToArray<Half>().AsSpan()).ToArray());
        }

        using (Tensor t = file.ReadTensor("bf16", Cpu))
        {
            Assert.Equal([1f, -5f], t.ToFloatArray());
        }

        using (Tensor t = file.ReadTensor("i32", Cpu))
        {
            Assert.Equal([int.MinValue, 0, int.MaxValue], t.ToArray<int>());
        }

        using (Tensor t = file.ReadTensor("i64", Cpu))
        {
            Assert.Equal([long.MinValue, 42L], t.ToArray<long>());
        }

        using (Tensor t = file.ReadTensor("u8", Cpu))
        {
            Assert.Equal(new byte[] { 0, 1, 128, 255 }, t.ToArray<byte>());
        }
    }

    [Fact]
    public void ReadTensor_Bool_LoadsAsU8()
    {
        using SafetensorsFile file = SaveOne("mask", SafetensorsDType.BOOL, [3], [1, 0, 1]);
        using Tensor t = file.ReadTensor("mask", Cpu);
        Assert.Equal(DType.U8, t.DType);
        Assert.Equal(new byte[] { 1, 0, 1 }, t.ToArray<byte>());
    }

    [Fact]
    public void ReadTensor_F64_LoadsAsF32RoundedToNearest()
    {
        double[] values = [Math.PI, -1e-3, 1e300, 0.1];
        using SafetensorsFile file = SaveOne("d", SafetensorsDType.F64, [4], Bytes<double>(values));
        using Tensor t = file.ReadTensor("d", Cpu);
        Assert.Equal(DType.F32, t.DType);
        Assert.Equal(values.Select(v => (float)v).ToArray(), t.ToArray<float>());
    }

    [Theory]
    [InlineData(SafetensorsDType.F8_E4M3)]
    [InlineData(SafetensorsDType.F8_E5M2)]
    public void ReadTensor_Float8AllCodes_DecodeExactlyToF32BF16AndF16(SafetensorsDType dtype)
    {
        byte[] codes = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        using SafetensorsFile file = SaveOne("q", dtype, [16, 16], codes);
        ReadOnlySpan<float> table = dtype == SafetensorsDType.F8_E4M3 ? Float8.E4M3 : Float8.E5M2;

        using Tensor f32 = file.ReadTensor("q", Cpu);
        using Tensor bf16 = file.ReadTensor("q", Cpu, DType.BF16);
        using Tensor f16 = file.ReadTensor("q", Cpu, DType.F16);
        Assert.Equal(DType.F32, f32.DType);
        float[] a = f32.ToArray<float>();
        float[] b = bf16.ToFloatArray();
        float[] c = f16.ToFloatArray();
        for (int i = 0; i < 256; i++)
        {
            // Every FP8 value is representable in all three types, so all three agree bit for bit (NaN only as NaN).
            if (float.IsNaN(table[i]))
            {
                Assert.True(float.IsNaN(a[i]) && float.IsNaN(b[i]) && float.IsNaN(c[i]), $"code 0x{i:X2}");
                continue;
            }

            int expected = BitConverter.SingleToInt32Bits(table[i]);
            Assert.Equal(expected, BitConverter.SingleToInt32Bits(a[i]));
            Assert.Equal(expected, BitConverter.SingleToInt32Bits(b[i]));
            Assert.Equal(expected, BitConverter.SingleToInt32Bits(c[i]));
        }
    }

    [Fact]
    public void ReadTensor_F32AsBF16_RoundsEveryElementAcrossChunks()
    {
        // More elements than one conversion chunk (256 Ki), so the chunk loop and its offsets are exercised.
        float[] values = TestData.Normal(300_001, seed: 3, scale: 10f);
        using SafetensorsFile file = SaveOne("w", SafetensorsDType.F32, [values.Length], Bytes<float>(values));
        var backend = new CopyingBackend();
        using Tensor t = file.ReadTensor("w", backend, DType.BF16);
        Assert.Equal(DType.BF16, t.DType);
        Assert.Equal(2, backend.Uploads);
        BFloat16[] actual = t.ToArray<BFloat16>();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(BFloat16.RoundToBits(values[i]), actual[i].Bits);
        }
    }

    [Fact]
    public void ReadTensor_BF16AsF32_WidensExactly()
    {
        ushort[] bits = [0x3F80, 0x7F80, 0x0001, 0xBF00];
        using SafetensorsFile file = SaveOne("w", SafetensorsDType.BF16, [4], Bytes<ushort>(bits));
        using Tensor t = file.ReadTensor("w", Cpu, DType.F32);
        Assert.Equal(bits.Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16)).ToArray(), t.ToArray<float>());
    }

    [Fact]
    public void ReadTensor_IntegerConversions_WidenAndRangeCheck()
    {
        using SafetensorsFile file = SaveOne("ids", SafetensorsDType.I64, [3], Bytes<long>([1, -7, 1L << 40]));
        using (Tensor asFloat = file.ReadTensor("ids", Cpu, DType.F32))
        {
            Assert.Equal([1f, -7f, 1099511627776f], asFloat.ToArray<float>());
        }

        var e = Assert.Throws<CheckpointException>(() => file.ReadTensor("ids", Cpu, DType.I32));
        Assert.Contains("element 2 (1099511627776) does not fit in I32", e.Message);
        Assert.Contains(file.FilePath, e.Message);

        using SafetensorsFile bytes = SaveOne("u", SafetensorsDType.U8, [2], [7, 250]);
        using Tensor wide = bytes.ReadTensor("u", Cpu, DType.I64);
        Assert.Equal([7L, 250L], wide.ToArray<long>());
    }

    [Fact]
    public void ReadTensor_FloatAsInteger_IsNotSupported()
    {
        using SafetensorsFile file = SaveOne("w", SafetensorsDType.F32, [1], Bytes<float>([1f]));
        var e = Assert.Throws<NotSupportedException>(() => file.ReadTensor("w", Cpu, DType.I32));
        Assert.Contains("cannot be loaded as I32", e.Message);
    }

    [Theory]
    [InlineData(SafetensorsDType.I8, 1)]
    [InlineData(SafetensorsDType.U16, 2)]
    [InlineData(SafetensorsDType.U32, 4)]
    [InlineData(SafetensorsDType.U64, 8)]
    [InlineData(SafetensorsDType.C64, 8)]
    [InlineData(SafetensorsDType.F8_E8M0, 1)]
    [InlineData(SafetensorsDType.F8_E4M3FNUZ, 1)]
    [InlineData(SafetensorsDType.F6_E2M3, 3)]
    public void ReadTensor_UnloadableDType_ListsButThrowsNotSupportedNamingDTypeTensorAndFile(SafetensorsDType dtype, int bytes)
    {
        long count = dtype is SafetensorsDType.F6_E2M3 ? 4 : 1;
        using SafetensorsFile file = SaveOne("odd", dtype, [count], new byte[bytes]);
        Assert.Equal(dtype, file.Info("odd").DType);
        var e = Assert.Throws<NotSupportedException>(() => file.ReadTensor("odd", Cpu));
        Assert.Contains($"dtype {dtype}", e.Message);
        Assert.Contains("tensor 'odd'", e.Message);
        Assert.Contains(file.FilePath, e.Message);
    }

    [Fact]
    public void ReadTensor_ScalarAndEmptyTensors_Load()
    {
        var writer = new SafetensorsWriter();
        writer.Add("scalar", SafetensorsDType.F32, [], Bytes<float>([2.5f]));
        writer.Add("empty", SafetensorsDType.F32, [0, 3], Array.Empty<byte>());
        using SafetensorsFile file = Save(writer);

        using Tensor scalar = file.ReadTensor("scalar", Cpu);
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(2.5f, scalar.Item());
        using Tensor empty = file.ReadTensor("empty", Cpu);
        Assert.Equal(new Shape(0, 3), empty.Shape);
        Assert.Empty(empty.ToArray<float>());
    }

    [Fact]
    public void ReadTensor_OnHostBackend_WrapsTheMappingAndOutlivesTheFile()
    {
        float[] values = TestData.Normal(1000, seed: 1);
        SafetensorsFile file = SaveOne("w", SafetensorsDType.F32, [10, 100], Bytes<float>(values));
        Tensor t = file.ReadTensor("w", Cpu);
        Assert.True(t.ToRef().Storage.IsReadOnly, "expected the tensor to wrap the read-only mapping");
        Assert.Equal(values, t.ToArray<float>());

        // The tensor's lease keeps the view mapped after the file object is gone.
        file.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(values, t.ToArray<float>());
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadTensor("w", Cpu));
    }

    [Fact]
    public void ReadTensor_OnDeviceStyleBackend_UploadsACopy()
    {
        float[] values = TestData.Normal(64, seed: 2);
        using SafetensorsFile file = SaveOne("w", SafetensorsDType.F32, [8, 8], Bytes<float>(values));
        var backend = new CopyingBackend();
        using Tensor t = file.ReadTensor("w", backend);
        Assert.False(t.ToRef().Storage.IsReadOnly);
        Assert.Equal(1, backend.Uploads);
        Assert.Equal(values, t.ToArray<float>());
    }

    [Fact]
    public void ReadTensor_MisalignedData_FallsBackToACopy()
    {
        // Insertion order puts a 1-byte tensor first, so the F32 tensor starts at an odd address in the mapping.
        var writer = new SafetensorsWriter(sortNames: false);
        writer.Add("z.byte", SafetensorsDType.U8, [1], new byte[] { 9 });
        writer.Add("a.float", SafetensorsDType.F32, [2], Bytes<float>([1f, 2f]));
        using SafetensorsFile file = Save(writer);
        Assert.Equal(1, file.Info("a.float").DataOffset);
        using Tensor t = file.ReadTensor("a.float", Cpu);
        Assert.False(t.ToRef().Storage.IsReadOnly);
        Assert.Equal([1f, 2f], t.ToArray<float>());
    }

    [Fact]
    public void Open_ValidFile_ExposesInfoMetadataAndBytesWithoutLoading()
    {
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Add("b", SafetensorsDType.BF16, [2, 2], new byte[8]);
        writer.Add("a", SafetensorsDType.F32, [3], Bytes<float>([1, 2, 3]));
        using SafetensorsFile file = Save(writer);

        Assert.Equal(["a", "b"], file.Names);
        Assert.Equal("pt", file.Metadata["format"]);
        TensorInfo info = file.Info("b");
        Assert.Equal(SafetensorsDType.BF16, info.DType);
        Assert.Equal("[2, 2]", info.ShapeText);
        Assert.Equal(4, info.ElementCount);
        Assert.Equal(8, info.ByteLength);
        Assert.Equal(file.FilePath, info.FilePath);
        Assert.Equal(Bytes<float>([1, 2, 3]), file.GetBytes("a").ToArray());
        Assert.Equal(0, file.DataStart % 8);

        var e = Assert.Throws<CheckpointException>(() => file.Info("c"));
        Assert.Contains("tensor 'c': no tensor of this name", e.Message);
    }

    [Fact]
    public void Open_MissingFile_ThrowsCheckpointException()
    {
        string path = _dir.File("nope.safetensors");
        var e = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path));
        Assert.Equal($"{path}: file not found.", e.Message);
    }

    [Fact]
    public void Open_Folder_ThrowsCheckpointException()
    {
        var e = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(_dir.Path));
        Assert.Contains("is a folder", e.Message);
    }

    [Fact]
    public void Open_HeaderPaddedWithSpaces_IsAccepted()
    {
        string json = "{" + RawSafetensors.F32("a", 0, 1) + "}     ";
        string path = RawSafetensors.Write(_dir.Path, "padded", json, 4);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal(["a"], file.Names);
    }

    internal static byte[] Bytes<T>(T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private SafetensorsFile SaveOne(string name, SafetensorsDType dtype, long[] shape, byte[] data)
    {
        var writer = new SafetensorsWriter();
        writer.Add(name, dtype, shape, data);
        return Save(writer);
    }

    private SafetensorsFile Save(SafetensorsWriter writer)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".safetensors");
        writer.Save(path);
        return SafetensorsFile.Open(path);
    }
}
