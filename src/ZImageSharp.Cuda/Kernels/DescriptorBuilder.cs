using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>
/// Builds kernel descriptors from tensor views. Collapsing contiguous dimensions first keeps the per-element index
/// math of the kernels to one or two divisions for the common cases (packed tensors, a broadcast row, a slice).
/// </summary>
internal static class DescriptorBuilder
{
    /// <summary>Collapses the dimensions of same-shape layouts jointly (element-wise ops, copies).</summary>
    /// <param name="shape">The shape every layout has.</param>
    /// <param name="strides">Each view's strides for <paramref name="shape"/>.</param>
    public static CollapsedShape Collapse(Shape shape, params ReadOnlySpan<long[]> strides)
    {
        var sizes = new List<long>(shape.Rank);
        var merged = new List<long>[strides.Length];
        for (int t = 0; t < strides.Length; t++)
        {
            merged[t] = new List<long>(shape.Rank);
        }

        // Walk from the innermost dimension outwards; the lists are built innermost first and reversed at the end.
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            long size = shape.Dims[d];
            if (size == 1)
            {
                continue;
            }

            int last = sizes.Count - 1;
            bool mergeable = last >= 0;
            for (int t = 0; t < strides.Length && mergeable; t++)
            {
                mergeable = strides[t][d] == merged[t][last] * sizes[last];
            }

            if (mergeable)
            {
                sizes[last] *= size;
                continue;
            }

            sizes.Add(size);
            for (int t = 0; t < strides.Length; t++)
            {
                merged[t].Add(strides[t][d]);
            }
        }

        if (sizes.Count == 0)
        {
            sizes.Add(1);
            foreach (List<long> m in merged)
            {
                m.Add(0);
            }
        }

        sizes.Reverse();
        var result = new long[strides.Length][];
        for (int t = 0; t < strides.Length; t++)
        {
            merged[t].Reverse();
            result[t] = [.. merged[t]];
        }

        return new CollapsedShape([.. sizes], result);
    }

    /// <summary>Descriptors of same-shape views with their dimensions collapsed jointly.</summary>
    public static TensorDescriptor[] Elementwise(ICudaKernelHost host, params ReadOnlySpan<TensorRef> tensors)
    {
        Shape shape = tensors[0].Shape;
        var strides = new long[tensors.Length][];
        for (int t = 0; t < tensors.Length; t++)
        {
            strides[t] = tensors[t].Layout.Strides.ToArray();
        }

        CollapsedShape collapsed = Collapse(shape, strides);
        var result = new TensorDescriptor[tensors.Length];
        for (int t = 0; t < tensors.Length; t++)
        {
            result[t] = Describe(host.Address(tensors[t]), tensors[t].DType, collapsed.Sizes, collapsed.Strides[t]);
        }

        return result;
    }

    /// <summary>Descriptors of the rows of same-shape views: the dimensions before the last, collapsed jointly, so
    /// that a kernel finds row r at element offset <c>zi_offset(desc, r)</c>; the last dimension (stride 1, or size 1)
    /// is the row itself and is not described.</summary>
    public static TensorDescriptor[] Rows(ICudaKernelHost host, params ReadOnlySpan<TensorRef> tensors)
    {
        Shape shape = tensors[0].Shape;
        Shape outer = shape.Rank == 0 ? Shape.Scalar : OuterShape(shape);
        var strides = new long[tensors.Length][];
        for (int t = 0; t < tensors.Length; t++)
        {
            strides[t] = tensors[t].Layout.Strides[..outer.Rank].ToArray();
        }

        CollapsedShape collapsed = Collapse(outer, strides);
        var result = new TensorDescriptor[tensors.Length];
        for (int t = 0; t < tensors.Length; t++)
        {
            result[t] = Describe(host.Address(tensors[t]), tensors[t].DType, collapsed.Sizes, collapsed.Strides[t]);
        }

        return result;
    }

    /// <summary>A descriptor of a view as it is (no collapsing), for kernels that need its coordinates (rope, attention).</summary>
    public static TensorDescriptor Exact(ICudaKernelHost host, TensorRef tensor) =>
        Describe(host.Address(tensor), tensor.DType, [.. tensor.Shape.Dims.ToArray().Select(d => (long)d)], tensor.Layout.Strides.ToArray());

    /// <summary>A descriptor from collapsed sizes and strides.</summary>
    /// <exception cref="NotSupportedException">More than <see cref="TensorDescriptor.MaxRank"/> dimensions.</exception>
    public static TensorDescriptor Describe(ulong address, DType dtype, ReadOnlySpan<long> sizes, ReadOnlySpan<long> strides)
    {
        if (sizes.Length > TensorDescriptor.MaxRank)
        {
            throw new NotSupportedException(
                $"The CUDA kernels take views of at most {TensorDescriptor.MaxRank} dimensions after merging contiguous ones; this one has {sizes.Length} (sizes [{string.Join(", ", sizes.ToArray())}]). Make it contiguous first.");
        }

        var descriptor = new TensorDescriptor { Address = address, Rank = sizes.Length, DType = (int)dtype };
        for (int d = 0; d < sizes.Length; d++)
        {
            descriptor.Sizes[d] = sizes[d];
            descriptor.Strides[d] = strides[d];
        }

        return descriptor;
    }

    private static Shape OuterShape(Shape shape)
    {
        Span<int> dims = stackalloc int[shape.Rank - 1];
        shape.Dims[..^1].CopyTo(dims);
        return new Shape(dims);
    }
}
