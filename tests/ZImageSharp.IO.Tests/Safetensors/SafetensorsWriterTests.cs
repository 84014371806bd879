using System.Buffers.Binary;
using System.Text;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Safetensors;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteTo_SingleTensor_MatchesTheReferenceLayoutByteForByte()
    {
        // What the reference writer produces for {"a": tensor([1., 2.])} with metadata {"format": "pt"}.
        var writer = new SafetensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Add("a", SafetensorsDType.F32, [2], ReadTensorTests.Bytes<float>([1f, 2f]));
        byte[] bytes = Write(writer);

        string expectedJson = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        int padded = (expectedJson.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(expectedJson.PadRight(padded, ' '), Encoding.UTF8.GetString(bytes, 8, padded));
        Assert.Equal(ReadTensorTests.Bytes<float>([1f, 2f]), bytes[(8 + padded)..]);
    }

    [Fact]
    public void Save_RoundTrips_SortedByDefault_InsertionOrderOnRequest()
    {
        foreach (bool sort in new[] { true, false })
        {
            var writer = new SafetensorsWriter(sort);
            writer.Metadata["note"] = "ünïcödé + <html>";
            writer.Add("z", SafetensorsDType.U8, [3], new byte[] { 1, 2, 3 });
            writer.Add("a.b+c", SafetensorsDType.I64, [1, 1], ReadTensorTests.Bytes<long>([-5]));
            writer.Add("m", SafetensorsDType.BF16, [2], Func);
            string path = _dir.File($"roundtrip-{sort}.safetensors");
            writer.Save(path);
            Assert.False(File.Exists(path + ".tmp"));

            using SafetensorsFile file = SafetensorsFile.Open(path);
            Assert.Equal(sort ? ["a.b+c", "m", "z"] : ["z", "a.b+c", "m"], file.Tensors.Select(t => t.Name));
            Assert.Equal("ünïcödé + <html>", file.Metadata["note"]);
            Assert.Equal(new byte[] { 1, 2, 3 }, file.GetBytes("z").ToArray());
            Assert.Equal(ReadTensorTests.Bytes<long>([-5]), file.GetBytes("a.b+c").ToArray());
            Assert.Equal(new byte[] { 0x80, 0x3F, 0x00, 0x40 }, file.GetBytes("m").ToArray());
        }

        static ReadOnlyMemory<byte> Func() => new byte[] { 0x80, 0x3F, 0x00, 0x40 };
    }

    [Fact]
    public void Add_EngineTensor_WritesItsElementsInRowMajorOrder()
    {
        using Tensor source = Tensor.From<float>(CpuBackend.Default, [1, 2, 3, 4, 5, 6], 2, 3);
        using Tensor transposed = source.Transpose(0, 1);
        var writer = new SafetensorsWriter();
        writer.Add("t", transposed);
        string path = _dir.File("tensor.safetensors");
        writer.Save(path);

        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal("[3, 2]", file.Info("t").ShapeText);
        using Tensor back = file.ReadTensor("t", CpuBackend.Default);
        Assert.Equal([1f, 4, 2, 5, 3, 6], back.ToArray<float>());
    }

    [Fact]
    public void Add_InvalidInput_IsRejectedUpFront()
    {
        var writer = new SafetensorsWriter();
        writer.Add("a", SafetensorsDType.F32, [1], new byte[4]);
        Assert.Throws<ArgumentException>(() => writer.Add("a", SafetensorsDType.F32, [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", SafetensorsDType.F32, [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.Add("b", SafetensorsDType.F32, [2], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.Add("c", SafetensorsDType.F32, [-1], Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => writer.Add("d", SafetensorsDType.F4, [3], new byte[2]));
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void WriteTo_DataSourceOfWrongLength_Throws()
    {
        var writer = new SafetensorsWriter();
        writer.Add("a", SafetensorsDType.F32, [2], () => new byte[4]);
        var e = Assert.Throws<InvalidOperationException>(() => Write(writer));
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void WriteTo_NoTensors_IsAValidEmptyFile()
    {
        string path = _dir.File("empty.safetensors");
        new SafetensorsWriter().Save(path);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Empty(file.Names);
    }

    private static byte[] Write(SafetensorsWriter writer)
    {
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }
}
