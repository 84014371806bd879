namespace ZImageSharp.Tensors;

/// <summary>A backend could not allocate memory; the message says how much was asked and, when known, what is free.</summary>
public sealed class DeviceOutOfMemoryException : ZImageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="backend">The backend's name.</param>
    /// <param name="requestedBytes">Size of the failed request.</param>
    /// <param name="freeBytes">Free memory at the time, when the device reports it.</param>
    /// <param name="totalBytes">Total memory of the device, when known.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DeviceOutOfMemoryException(string backend, long requestedBytes, long? freeBytes, long? totalBytes, Exception? innerException)
        : base(Describe(backend, requestedBytes, freeBytes, totalBytes), innerException)
    {
        Backend = backend;
        RequestedBytes = requestedBytes;
        FreeBytes = freeBytes;
        TotalBytes = totalBytes;
    }

    /// <summary>The backend's name.</summary>
    public string Backend { get; }

    /// <summary>Size of the failed request in bytes.</summary>
    public long RequestedBytes { get; }

    /// <summary>Free bytes when the request failed, if known.</summary>
    public long? FreeBytes { get; }

    /// <summary>Total bytes of the device, if known.</summary>
    public long? TotalBytes { get; }

    private static string Describe(string backend, long requested, long? free, long? total)
    {
        string text = $"Out of memory on {backend}: {Format(requested)} requested";
        if (free is long f)
        {
            text += $", {Format(f)} free";
        }

        if (total is long t)
        {
            text += $" of {Format(t)}";
        }

        return text + ".";
    }

    private static string Format(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F2} GiB" : $"{bytes / (double)(1L << 20):F1} MiB";
}
