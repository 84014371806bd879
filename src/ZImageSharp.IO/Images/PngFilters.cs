namespace ZImageSharp.IO.Images;

/// <summary>The five PNG row filters (None, Sub, Up, Average, Paeth), applied to one row of bytes.</summary>
internal static class PngFilters
{
    /// <summary>
    /// Writes the filter-type byte and the filtered row into <paramref name="output"/> (row length + 1) and returns
    /// the sum of the filtered bytes read as signed values' magnitudes (the selection heuristic).
    /// </summary>
    /// <param name="filter">0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth.</param>
    /// <param name="row">The raw row.</param>
    /// <param name="prior">The raw row above (zeros for the first row).</param>
    /// <param name="bpp">Bytes per complete pixel: the distance to the "left" byte.</param>
    /// <param name="output">Receives the type byte then the filtered row.</param>
    public static long Apply(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        output[0] = (byte)filter;
        long sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = prior[i];
            int c = i >= bpp ? prior[i - bpp] : 0;
            int predicted = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                4 => Paeth(a, b, c),
                _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "PNG filter types are 0-4."),
            };
            byte value = (byte)(row[i] - predicted);
            output[i + 1] = value;
            sum += Math.Abs((int)(sbyte)value);
        }

        return sum;
    }

    /// <summary>The Paeth predictor: whichever of left, up, upper-left is closest to left + up - upper-left (ties in that order).</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }
}
