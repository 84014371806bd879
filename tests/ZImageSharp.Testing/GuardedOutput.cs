using Xunit;
using ZImageSharp.Tensors;

namespace ZImageSharp.Testing;

/// <summary>
/// A kernel destination placed between two guard regions of a known byte pattern (ggml's sentinel idea): after the
/// kernel runs, <see cref="AssertGuardsIntact"/> proves it wrote nothing outside its destination.
/// </summary>
public sealed class GuardedOutput : IDisposable
{
    private const byte Pattern = 0xA5;
    private readonly Tensor _buffer;
    private readonly long _guardBytes;
    private readonly long _dataBytes;

    private GuardedOutput(Tensor buffer, Tensor destination, long guardBytes, long dataBytes)
    {
        _buffer = buffer;
        Destination = destination;
        _guardBytes = guardBytes;
        _dataBytes = dataBytes;
    }

    /// <summary>The contiguous destination view between the guards.</summary>
    public Tensor Destination { get; }

    /// <summary>Allocates the destination of <paramref name="shape"/> with <paramref name="guardElements"/> guard elements on each side.</summary>
    public static GuardedOutput Create(IBackend backend, Shape shape, DType dtype, int guardElements = 67)
    {
        ArgumentNullException.ThrowIfNull(backend);
        long count = shape.ElementCount;
        Tensor buffer = Tensor.Empty(backend, new Shape(checked((int)(count + (2 * guardElements)))), dtype);
        long total = (count + (2L * guardElements)) * dtype.ElementSize();
        var fill = new byte[total];
        Array.Fill(fill, Pattern);
        backend.Upload(fill, buffer.ToRef().Storage, 0);
        Tensor destination = buffer.AsStrided(new Layout(shape, guardElements));
        return new GuardedOutput(buffer, destination, (long)guardElements * dtype.ElementSize(), count * dtype.ElementSize());
    }

    /// <summary>Fails when any guard byte changed.</summary>
    public void AssertGuardsIntact()
    {
        var bytes = new byte[(2 * _guardBytes) + _dataBytes];
        _buffer.Backend.Download(_buffer.ToRef().Storage, 0, bytes);
        for (long i = 0; i < _guardBytes; i++)
        {
            Assert.True(bytes[i] == Pattern, $"Guard byte {i} before the destination was overwritten.");
            long after = _guardBytes + _dataBytes + i;
            Assert.True(bytes[after] == Pattern, $"Guard byte {i} after the destination was overwritten.");
        }
    }

    public void Dispose()
    {
        Destination.Dispose();
        _buffer.Dispose();
    }
}
