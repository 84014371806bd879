// Data movement: strided copy with dtype conversion, fill, index-select. Same-dtype copies move bytes (exact for
// every dtype); integer pairs go through i64 (saturating); anything with a float side goes through f32.
#include "common.cuh"

extern "C" __global__ void zimage_copy(TensorDesc src, TensorDesc dst, i64 n)
{
    int size = zi_element_size(src.dtype);
    bool same = src.dtype == dst.dtype;
    bool integers = src.dtype >= ZI_I32 && dst.dtype >= ZI_I32;
    ZI_GRID_STRIDE(i, n)
    {
        i64 si = zi_offset(src, i);
        i64 di = zi_offset(dst, i);
        if (same)
        {
            zi_move(src.ptr, si, dst.ptr, di, size);
        }
        else if (integers)
        {
            zi_store_integer(dst.ptr, dst.dtype, di, zi_load_integer(src.ptr, src.dtype, si));
        }
        else
        {
            zi_store(dst.ptr, dst.dtype, di, zi_load(src.ptr, src.dtype, si));
        }
    }
}

// bits: the value already converted to dst's dtype by the host (its low element-size bytes are stored).
extern "C" __global__ void zimage_fill(TensorDesc dst, u64 bits, i64 n)
{
    int size = zi_element_size(dst.dtype);
    ZI_GRID_STRIDE(i, n)
    {
        i64 di = zi_offset(dst, i);
        switch (size)
        {
            case 1: ((unsigned char*)dst.ptr)[di] = (unsigned char)bits; break;
            case 2: ((unsigned short*)dst.ptr)[di] = (unsigned short)bits; break;
            case 4: ((unsigned int*)dst.ptr)[di] = (unsigned int)bits; break;
            default: ((u64*)dst.ptr)[di] = bits; break;
        }
    }
}

// Contiguous source [outer, size, inner] → contiguous destination [outer, count, inner]; indices contiguous I32/I64.
extern "C" __global__ void zimage_index_select(u64 src, u64 indices, int indexDtype, u64 dst, int elementSize,
                                               i64 outer, i64 size, i64 count, i64 inner)
{
    i64 n = outer * count * inner;
    ZI_GRID_STRIDE(e, n)
    {
        i64 k = e % inner;
        i64 t = e / inner;
        i64 i = t % count;
        i64 o = t / count;
        i64 index = indexDtype == ZI_I64 ? ((const i64*)indices)[i] : (i64)((const int*)indices)[i];
        zi_move(src, (o * size + index) * inner + k, dst, e, elementSize);
    }
}
