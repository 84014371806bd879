using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// Writes a safetensors file. Tensors are declared first (name, dtype, shape and a data source); <see cref="WriteTo"/>
/// then writes the header and pulls each tensor's bytes in turn, so only one tensor's data is in memory at a time.
/// </summary>
/// <remarks>
/// The header is padded with spaces so the data buffer starts at a multiple of 8, like the reference writer, which
/// keeps every tensor that starts at an aligned offset aligned in a mapping.
/// </remarks>
public sealed class SafetensorsWriter
{
    private readonly List<Entry> _entries = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Creates an empty writer.</summary>
    /// <param name="sortNames">True (the reference writer's behaviour) to write tensors sorted by name; false for insertion order.</param>
    public SafetensorsWriter(bool sortNames = true) => SortNames = sortNames;

    /// <summary>Whether tensors are written sorted by name (else in the order they were added).</summary>
    public bool SortNames { get; }

    /// <summary>String metadata written as <c>__metadata__</c> (omitted when empty).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Number of tensors added.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a tensor whose bytes are already in memory.</summary>
    /// <exception cref="ArgumentException">For a duplicate or reserved name, a negative size, or a data length that does not match the shape.</exception>
    public void Add(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data)
    {
        long expected = ByteLength(name, dtype, shape);
        if (data.Length != expected)
        {
            throw new ArgumentException($"Tensor '{name}': {data.Length} bytes given, shape {FormatShape(shape)} of {dtype} needs {expected}.", nameof(data));
        }

        AddEntry(name, dtype, shape, expected, () => data);
    }

    /// <summary>Adds a tensor whose bytes are produced when the file is written (called once, in file order).</summary>
    /// <exception cref="ArgumentException">For a duplicate or reserved name or a negative size.</exception>
    public void Add(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape, Func<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AddEntry(name, dtype, shape, ByteLength(name, dtype, shape), data);
    }

    /// <summary>Adds an engine tensor; its elements are downloaded when the file is written, so keep it alive until then.</summary>
    public void Add(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Span<long> dims = stackalloc long[tensor.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = tensor.Shape.Dims[i];
        }

        SafetensorsDType dtype = SafetensorsDTypes.FromDType(tensor.DType);
        AddEntry(name, dtype, dims, ByteLength(name, dtype, dims), () => Download(tensor));
    }

    /// <summary>Writes the file to a stream.</summary>
    /// <exception cref="InvalidOperationException">When a data callback returns the wrong number of bytes.</exception>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        List<Entry> ordered = [.. _entries];
        if (SortNames)
        {
            ordered.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        byte[] header = BuildHeader(ordered);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (Entry entry in ordered)
        {
            ReadOnlyMemory<byte> data = entry.Data();
            if (data.Length != entry.ByteLength)
            {
                throw new InvalidOperationException($"Tensor '{entry.Name}': the data source produced {data.Length} bytes, the header promised {entry.ByteLength}.");
            }

            stream.Write(data.Span);
        }
    }

    /// <summary>Writes the file to <paramref name="path"/> through a temporary file, so a failure never leaves a partial file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                WriteTo(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is what matters; a leftover temporary file is harmless.
        }
    }

    private byte[] BuildHeader(List<Entry> ordered)
    {
        var buffer = new ArrayBufferWriter<byte>();

        // Names are identifiers, not HTML: keep them readable ("a+b", non-ASCII) instead of \u-escaped.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> pair in Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(pair.Key, pair.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (Entry entry in ordered)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType.Name());
                json.WriteStartArray("shape");
                foreach (long d in entry.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + entry.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += entry.ByteLength;
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private void AddEntry(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape, long byteLength, Func<ReadOnlyMemory<byte>> data)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"Tensor '{name}' was already added.", nameof(name));
        }

        _entries.Add(new Entry(name, dtype, [.. shape], byteLength, data));
    }

    private static long ByteLength(string name, SafetensorsDType dtype, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved for the metadata map.", nameof(name));
        }

        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor '{name}': shape {FormatShape(shape)} has a negative size.", nameof(shape));
            }

            count = checked(count * d);
        }

        return dtype.ByteLength(count)
            ?? throw new ArgumentException($"Tensor '{name}': {count} elements of {dtype} are not a whole number of bytes.", nameof(shape));
    }

    private static ReadOnlyMemory<byte> Download(Tensor tensor) => tensor.DType switch
    {
        DType.F32 => Download<float>(tensor),
        DType.F16 => Download<Half>(tensor),
        DType.BF16 => Download<BFloat16>(tensor),
        DType.I32 => Download<int>(tensor),
        DType.I64 => Download<long>(tensor),
        DType.U8 => Download<byte>(tensor),
        _ => throw new NotSupportedException($"Cannot write a {tensor.DType} tensor."),
    };

    private static byte[] Download<T>(Tensor tensor)
        where T : unmanaged
    {
        byte[] bytes = new byte[checked(tensor.ElementCount * tensor.DType.ElementSize())];
        tensor.CopyTo(MemoryMarshal.Cast<byte, T>(bytes.AsSpan()));
        return bytes;
    }

    private static string FormatShape(ReadOnlySpan<long> shape) => Checkpoints.TensorInfo.FormatDims(shape);

    private sealed record Entry(string Name, SafetensorsDType DType, ImmutableArray<long> Shape, long ByteLength, Func<ReadOnlyMemory<byte>> Data);
}
