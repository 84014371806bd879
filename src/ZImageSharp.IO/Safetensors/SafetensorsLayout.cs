using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// Checks that the tensors tile the data buffer exactly: sorted by offset they start at 0, follow each other without
/// holes or overlaps, and end at the end of the file. Each entry was already checked on its own (begin ≤ end, size
/// matches, inside the buffer).
/// </summary>
internal static class SafetensorsLayout
{
    /// <exception cref="SafetensorsFormatException">For the first gap, overlap or trailing region found.</exception>
    public static void Validate(string path, IReadOnlyList<TensorInfo> tensors, long dataLength)
    {
        // Sorting by (begin, end) puts empty tensors before the tensor that starts at the same offset.
        TensorInfo[] sorted = [.. tensors];
        Array.Sort(sorted, static (a, b) =>
        {
            int byBegin = a.DataOffset.CompareTo(b.DataOffset);
            return byBegin != 0 ? byBegin : a.ByteLength.CompareTo(b.ByteLength);
        });

        long expected = 0;
        TensorInfo? previous = null;
        foreach (TensorInfo t in sorted)
        {
            long begin = t.DataOffset;
            if (previous is null && begin != 0)
            {
                throw new SafetensorsFormatException(path, t.Name, $"the data buffer does not start at offset 0: the first tensor begins at {begin}, leaving {begin} unused bytes.");
            }

            if (previous is not null && begin < expected)
            {
                throw new SafetensorsFormatException(path, t.Name, $"data_offsets {Range(t)} overlap those of tensor '{previous.Name}' {Range(previous)}.");
            }

            if (previous is not null && begin > expected)
            {
                throw new SafetensorsFormatException(path, t.Name, $"data_offsets {Range(t)} leave a hole of {begin - expected} unused bytes after tensor '{previous.Name}' {Range(previous)}.");
            }

            expected = begin + t.ByteLength;
            previous = t;
        }

        if (expected != dataLength)
        {
            string last = previous is null ? "there are no tensors" : $"the last tensor '{previous.Name}' ends at {expected}";
            throw new SafetensorsFormatException(path, null, $"{dataLength - expected} trailing bytes after the tensor data ({last}; the data buffer has {dataLength} bytes).");
        }
    }

    private static string Range(TensorInfo t) => $"[{t.DataOffset}, {t.DataOffset + t.ByteLength}]";
}
