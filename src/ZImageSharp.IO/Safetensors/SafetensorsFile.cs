using System.Buffers.Binary;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// One safetensors file, memory-mapped read-only. Opening reads and validates only the header; tensor data is touched
/// when a tensor is read. Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the data buffer
/// that the header's <c>data_offsets</c> index.
/// </summary>
/// <remarks>
/// Every structural rule of the format is checked at open (see <see cref="SafetensorsFormatException"/>), so no later
/// read can go out of range. Tensors loaded zero-copy keep the mapping alive on their own: disposing this object while
/// they are in use is safe. Query and read members are thread-safe; <see cref="Dispose"/> must not race them.
/// </remarks>
public sealed class SafetensorsFile : IPartialTensorSource
{
    private readonly MappedFile _file;
    private readonly Dictionary<string, TensorInfo> _byName;

    private SafetensorsFile(string path, MappedFile file, SafetensorsHeader header, long dataStart)
    {
        FilePath = path;
        _file = file;
        DataStart = dataStart;
        Metadata = header.Metadata;
        Tensors = header.Tensors;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        string[] names = [.. _byName.Keys];
        Array.Sort(names, StringComparer.Ordinal);
        Names = names;
    }

    /// <summary>The path the file was opened with.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public string SourcePath => FilePath;

    /// <summary>Size of the file in bytes.</summary>
    public long FileLength => _file.Length;

    /// <summary>Offset of the data buffer in the file (8 + header length).</summary>
    public long DataStart { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <exception cref="CheckpointException">When the file is missing or cannot be opened.</exception>
    /// <exception cref="SafetensorsFormatException">When the file is not a valid safetensors file.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MappedFile file = Map(path);
        try
        {
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.Span(0, 8));
            if (headerLength > (ulong)(file.Length - 8))
            {
                throw new SafetensorsFormatException(path, null, $"the header length {headerLength} exceeds the file size ({file.Length} bytes, of which {file.Length - 8} follow the length prefix).");
            }

            if (headerLength > SafetensorsHeader.MaxHeaderLength)
            {
                throw new SafetensorsFormatException(path, null, $"the header length {headerLength} exceeds the limit of {SafetensorsHeader.MaxHeaderLength} bytes.");
            }

            long dataStart = 8 + (long)headerLength;
            var header = SafetensorsHeader.Parse(file.Span(8, (int)headerLength), path, file.Length - dataStart);
            return new SafetensorsFile(path, file, header, dataStart);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public bool TryGetInfo(string name, out TensorInfo info) => _byName.TryGetValue(name, out info!);

    /// <inheritdoc/>
    public TensorInfo Info(string name) =>
        _byName.TryGetValue(name, out TensorInfo? info) ? info : throw new CheckpointException(FilePath, name, "no tensor of this name in the file.");

    /// <summary>True when the file has a tensor of this name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The raw little-endian bytes of a tensor, straight from the mapping (no copy).</summary>
    /// <remarks>The span is valid only until this file is disposed; use <see cref="ReadTensor"/> for data that must outlive it.</remarks>
    /// <exception cref="CheckpointException">When there is no tensor of that name.</exception>
    /// <exception cref="NotSupportedException">When the tensor is larger than a span can address (2 GiB); read it with <see cref="ReadTensor"/>.</exception>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        TensorInfo info = Info(name);
        if (info.ByteLength > int.MaxValue)
        {
            throw new NotSupportedException($"{FilePath}: tensor '{name}': {info.ByteLength} bytes do not fit in one span; use ReadTensor.");
        }

        return _file.Span(DataStart + info.DataOffset, (int)info.ByteLength);
    }

    /// <inheritdoc/>
    public Tensor ReadTensor(string name, IBackend backend, DType? dtype = null) =>
        TensorLoader.Load(_file, DataStart, Info(name), backend, dtype);

    /// <inheritdoc/>
    public Tensor ReadPart(string name, TensorPart part, IBackend backend, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(part);

        // The part keeps the stored name so that load errors name the tensor that is really in the file.
        TensorInfo stored = Info(name);
        return TensorLoader.Load(_file, DataStart, part.Describe(stored, stored.Name), backend, dtype);
    }

    /// <summary>Releases the mapping; tensors read zero-copy keep their part of it until they are disposed.</summary>
    public void Dispose() => _file.Dispose();

    private static MappedFile Map(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CheckpointException(path, null, "is a folder, not a safetensors file.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException(path, null, "file not found.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, null, $"cannot open the file: {e.Message}", e);
        }

        try
        {
            // An empty file cannot be mapped at all; anything under 8 bytes lacks the length prefix.
            if (stream.Length < 8)
            {
                throw new SafetensorsFormatException(path, null, $"the file has {stream.Length} bytes, fewer than the 8-byte header length prefix.");
            }

            return MappedFile.Open(stream);
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new CheckpointException(path, null, $"cannot map the file: {e.Message}", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
