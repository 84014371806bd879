using System.Buffers;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// Turns a mapped tensor into an engine <see cref="Tensor"/>: zero-copy when the backend reads host memory and the bytes
/// are already what the tensor needs; otherwise read with plain file reads (not through the mapping, whose pages would
/// stay resident) and uploaded, or converted, in bounded chunks, so memory never holds a second full copy.
/// </summary>
/// <remarks>
/// Float conversions go through f32: exact for every stored type but F64, which rounds to f32 first, so an F64 tensor
/// requested as BF16/F16 is rounded twice (it can differ from a direct rounding in the last bit on rare ties).
/// </remarks>
internal static class TensorLoader
{
    /// <summary>Elements per conversion chunk: 256 Ki elements = 1 MiB of f32 scratch.</summary>
    private const int ChunkElements = 1 << 18;

    /// <summary>Bytes per plain upload chunk.</summary>
    private const int ChunkBytes = 4 << 20;

    private const string Loadable = "F32, F16, BF16, I32, I64, U8, BOOL, F64, F8_E4M3, F8_E5M2";

    public static Tensor Load(MappedFile file, long dataStart, TensorInfo info, IBackend backend, DType? requested)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (!info.DType.TryGetNaturalDType(out DType natural))
        {
            throw new NotSupportedException($"{info.FilePath}: tensor '{info.Name}': dtype {info.DType} cannot be loaded by this engine (loadable: {Loadable}).");
        }

        DType target = requested ?? natural;
        if (!info.DType.CanLoadAs(target))
        {
            throw new NotSupportedException($"{info.FilePath}: tensor '{info.Name}': dtype {info.DType} cannot be loaded as {target} (floating-point data is never truncated to integers).");
        }

        Shape shape = info.ToShape();
        if (backend is MetaBackend)
        {
            // Shape and dtype only: the data is never touched (a header-only or sparse checkpoint costs nothing).
            return Tensor.Empty(backend, shape, target);
        }

        long offset = dataStart + info.DataOffset;
        bool sameBytes = target == natural && info.DType is not (SafetensorsDType.F64 or SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E5M2);
        if (sameBytes && backend is IHostMemoryBackend host && info.ByteLength > 0 && TryWrap(file, offset, info, host, shape, target) is Tensor mapped)
        {
            return mapped;
        }

        Tensor tensor = Tensor.Empty(backend, shape, target);
        try
        {
            Storage storage = tensor.ToRef().Storage;
            if (sameBytes)
            {
                CopyBytes(file, offset, info.ByteLength, backend, storage);
            }
            else if (target.IsFloatingPoint())
            {
                ConvertFloats(file, offset, info, target, backend, storage);
            }
            else
            {
                ConvertIntegers(file, offset, info, target, backend, storage);
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static Tensor? TryWrap(MappedFile file, long offset, TensorInfo info, IHostMemoryBackend host, Shape shape, DType dtype)
    {
        MappedFileLease lease = file.Lease(offset, info.ByteLength, out nint address);

        // Kernels may read elements through typed pointers; keep the natural alignment they are entitled to.
        if (address % dtype.ElementSize() != 0)
        {
            lease.Dispose();
            return null;
        }

        Storage storage;
        try
        {
            storage = host.WrapHostMemory(address, info.ByteLength, lease, isReadOnly: true);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        // The storage's reference passes to the tensor; releasing it later disposes the lease.
        return Tensor.FromStorage(storage, new Layout(shape), dtype);
    }

    private static void CopyBytes(MappedFile file, long offset, long length, IBackend backend, Storage storage)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, length));
        try
        {
            for (long done = 0; done < length; done += ChunkBytes)
            {
                Span<byte> chunk = buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - done));
                file.Read(offset + done, chunk);
                backend.Upload(chunk, storage, done);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ConvertFloats(MappedFile file, long offset, TensorInfo info, DType target, IBackend backend, Storage storage)
    {
        int sourceSize = info.DType.BitSize() / 8;
        int targetSize = target.ElementSize();
        float[] values = ArrayPool<float>.Shared.Rent(ChunkElements);
        byte[] stored = ArrayPool<byte>.Shared.Rent(ChunkElements * sourceSize);
        byte[] encoded = ArrayPool<byte>.Shared.Rent(ChunkElements * targetSize);
        try
        {
            long count = info.ElementCount;
            for (long start = 0; start < count; start += ChunkElements)
            {
                int n = (int)Math.Min(ChunkElements, count - start);
                Span<float> chunk = values.AsSpan(0, n);
                Span<byte> source = stored.AsSpan(0, n * sourceSize);
                file.Read(offset + (start * sourceSize), source);
                TensorDecoder.ToSingle(source, info.DType, chunk);
                Span<byte> bytes = encoded.AsSpan(0, n * targetSize);
                DTypeConversion.FromSingle(chunk, target, bytes);
                backend.Upload(bytes, storage, start * targetSize);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(values);
            ArrayPool<byte>.Shared.Return(stored);
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    private static void ConvertIntegers(MappedFile file, long offset, TensorInfo info, DType target, IBackend backend, Storage storage)
    {
        int sourceSize = info.DType.BitSize() / 8;
        int targetSize = target.ElementSize();
        long[] values = ArrayPool<long>.Shared.Rent(ChunkElements);
        byte[] stored = ArrayPool<byte>.Shared.Rent(ChunkElements * sourceSize);
        byte[] encoded = ArrayPool<byte>.Shared.Rent(ChunkElements * targetSize);
        try
        {
            long count = info.ElementCount;
            for (long start = 0; start < count; start += ChunkElements)
            {
                int n = (int)Math.Min(ChunkElements, count - start);
                Span<long> chunk = values.AsSpan(0, n);
                Span<byte> source = stored.AsSpan(0, n * sourceSize);
                file.Read(offset + (start * sourceSize), source);
                TensorDecoder.ToInt64(source, info.DType, chunk);
                Span<byte> bytes = encoded.AsSpan(0, n * targetSize);
                int bad = TensorDecoder.FromInt64(chunk, target, bytes);
                if (bad >= 0)
                {
                    throw new CheckpointException(info.FilePath, info.Name, $"element {start + bad} ({chunk[bad]}) does not fit in {target}.");
                }

                backend.Upload(bytes, storage, start * targetSize);
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(values);
            ArrayPool<byte>.Shared.Return(stored);
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }
}
