using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NeuralNets.Layers;

namespace NeuralNets.Kernels;

/// <summary>
/// Unfolds one image into the matrix whose columns are its receptive fields, so that a convolution
/// becomes one matrix multiply (and folds such a matrix back, for the input gradient).
/// </summary>
/// <remarks>
/// For an image <c>[C, H, W]</c> and a window (kH, kW, stride, zero padding) with output
/// <c>outH × outW</c>, the columns matrix is <c>[C·kH·kW, outH·outW]</c>:
/// effectively <c>columns[(c·kH + i)·kW + j, y·outW + x] = image[c, y·sH − pH + i, x·sW − pW + j]</c>,
/// and 0 where that position falls in the padding. Row order matches a weight <c>[Cout, C, kH, kW]</c>
/// read as a <c>[Cout, C·kH·kW]</c> matrix. Rows are <c>rowStride</c> apart, so that the columns of a
/// whole batch can sit side by side in one <c>[C·kH·kW, N·outH·outW]</c> matrix.
/// Copies and additions are exact, so the 256-bit, 128-bit and scalar rows give the same values.
/// </remarks>
internal static class Im2Col
{
    /// <summary>Writes the columns matrix of <paramref name="image"/> into <paramref name="columns"/>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Unfold<T>(ReadOnlySpan<T> image, int channels, int height, int width, Window2D window, int outH, int outW, Span<T> columns, int rowStride)
    {
        int plane = outH * outW;
        if (window.StrideH == 1 && window.StrideW == 1 && image.Length >= channels * height * width
            && columns.Length >= (channels * window.KernelH * window.KernelW - 1) * rowStride + plane)
        {
            UnfoldStrideOne(ref MemoryMarshal.GetReference(image), channels, height, width, window, outH, outW, ref MemoryMarshal.GetReference(columns), rowStride);
            return;
        }
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var channel = image.Slice(c * height * width, height * width);
            for (int i = 0; i < window.KernelH; i++)
                for (int j = 0; j < window.KernelW; j++, row++)
                {
                    var destination = columns.Slice(row * rowStride, plane);
                    ValidRange(j - window.PadW, window.StrideW, width, outW, out int xStart, out int xEnd);
                    for (int y = 0; y < outH; y++)
                    {
                        var line = destination.Slice(y * outW, outW);
                        int sourceY = y * window.StrideH - window.PadH + i;
                        if ((uint)sourceY >= (uint)height || xStart >= xEnd)
                        {
                            line.Clear();
                            continue;
                        }
                        for (int x = 0; x < xStart; x++) line[x] = default!;
                        for (int x = xEnd; x < outW; x++) line[x] = default!;
                        var source = channel.Slice(sourceY * width, width);
                        int sourceX = xStart * window.StrideW - window.PadW + j;
                        if (window.StrideW == 1)
                        {
                            CopyShort(source.Slice(sourceX, xEnd - xStart), line[xStart..xEnd]);
                        }
                        else
                        {
                            for (int x = xStart; x < xEnd; x++, sourceX += window.StrideW) line[x] = source[sourceX];
                        }
                    }
                }
        }
    }

    /// <summary>
    /// <see cref="Unfold"/> for stride 1 (every LeNet-like convolution) without slicing: the spans were
    /// checked to hold the image and every row, so each line is a plain short copy between its padding.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static void UnfoldStrideOne<T>(ref T image, int channels, int height, int width, Window2D window, int outH, int outW, ref T columns, int rowStride)
    {
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            ref T channel = ref Unsafe.Add(ref image, c * height * width);
            for (int i = 0; i < window.KernelH; i++)
                for (int j = 0; j < window.KernelW; j++, row++)
                {
                    ref T destination = ref Unsafe.Add(ref columns, (nint)row * rowStride);
                    ValidRange(j - window.PadW, 1, width, outW, out int xStart, out int xEnd);
                    for (int y = 0; y < outH; y++)
                    {
                        ref T line = ref Unsafe.Add(ref destination, y * outW);
                        int sourceY = y - window.PadH + i;
                        if ((uint)sourceY >= (uint)height || xStart >= xEnd)
                        {
                            for (int x = 0; x < outW; x++) Unsafe.Add(ref line, x) = default!;
                            continue;
                        }
                        for (int x = 0; x < xStart; x++) Unsafe.Add(ref line, x) = default!;
                        for (int x = xEnd; x < outW; x++) Unsafe.Add(ref line, x) = default!;
                        CopyShort(ref Unsafe.Add(ref channel, sourceY * width + xStart - window.PadW + j), ref Unsafe.Add(ref line, xStart), xEnd - xStart);
                    }
                }
        }
    }

    /// <summary>
    /// <see cref="Unfold"/> for stride 1 from a zero-padded copy of the image (<c>[C, H + 2pH, W + 2pW]</c>): every line of
    /// every row is a plain copy, with no padding to test for. The columns are the same values.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void UnfoldPadded<T>(ReadOnlySpan<T> padded, int channels, int height, int width, Window2D window, int outH, int outW, Span<T> columns, int rowStride)
    {
        int paddedH = height + 2 * window.PadH, paddedW = width + 2 * window.PadW;
        if (window.StrideH != 1 || window.StrideW != 1 || padded.Length < channels * paddedH * paddedW
            || columns.Length < (channels * window.KernelH * window.KernelW - 1) * rowStride + outH * outW)
            throw new ArgumentException("Unfolding a padded image given a stride other than 1 or buffers too short for its shape.");
        ref T source = ref MemoryMarshal.GetReference(padded);
        ref T target = ref MemoryMarshal.GetReference(columns);
        int row = 0;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < window.KernelH; i++)
                for (int j = 0; j < window.KernelW; j++, row++)
                {
                    ref T from = ref Unsafe.Add(ref source, (c * paddedH + i) * paddedW + j);
                    ref T to = ref Unsafe.Add(ref target, (nint)row * rowStride);
                    for (int y = 0; y < outH; y++)
                        CopyShort(ref Unsafe.Add(ref from, y * paddedW), ref Unsafe.Add(ref to, y * outW), outW);
                }
    }

    /// <summary>Copies image <c>[C, H, W]</c> into the middle of <paramref name="padded"/> <c>[C, H + 2pH, W + 2pW]</c>, zero around it.</summary>
    /// <remarks>Each element of the padded image is written once, row by row: the zeros between one row's last value and
    /// the next row's first, and the rows copied in vectors here rather than by a call for each (a clear of the whole
    /// buffer and a call a row took 1.6 % more of the VGG-style step: benchmarks/README.md).</remarks>
    [MethodImpl(HotPath.Options)]
    public static void Pad<T>(ReadOnlySpan<T> image, int channels, int height, int width, Window2D window, Span<T> padded) where T : unmanaged
    {
        int pH = window.PadH, pW = window.PadW, paddedH = height + 2 * pH, paddedW = width + 2 * pW;
        int imageLength = channels * height * width, paddedLength = channels * paddedH * paddedW;
        if (image.Length < imageLength || padded.Length < paddedLength)
            throw new ArgumentException("Padding an image given buffers too short for its shape.");
        if (pH == 0 && pW == 0)
        {
            image[..imageLength].CopyTo(padded);
            return;
        }
        ref T source = ref MemoryMarshal.GetReference(image);
        ref T target = ref MemoryMarshal.GetReference(padded);
        nint at = 0, from = 0;
        for (int c = 0; c < channels; c++)
        {
            // The rows above the plane and the first row's left padding.
            ZeroRun(ref Unsafe.Add(ref target, at), pH * paddedW + pW);
            at += pH * paddedW + pW;
            for (int y = 0; y < height; y++, at += width, from += width)
            {
                if (y > 0)
                {
                    // One row's right padding and the next one's left.
                    ZeroRun(ref Unsafe.Add(ref target, at), 2 * pW);
                    at += 2 * pW;
                }
                CopyRun(ref Unsafe.Add(ref source, from), ref Unsafe.Add(ref target, at), width);
            }
            // The last row's right padding and the rows below the plane.
            ZeroRun(ref Unsafe.Add(ref target, at), pW + pH * paddedW);
            at += pW + pH * paddedW;
        }
    }

    /// <summary>Copies <paramref name="count"/> elements, in whole vectors (the last one overlapping the one before it) where there are enough.</summary>
    [MethodImpl(HotPath.Options | MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(ref T source, ref T target, int count) where T : unmanaged
    {
        nint bytes = (nint)count * Unsafe.SizeOf<T>();
        ref byte from = ref Unsafe.As<T, byte>(ref source);
        ref byte to = ref Unsafe.As<T, byte>(ref target);
        if (Vector256.IsHardwareAccelerated && bytes >= Vector256<byte>.Count)
        {
            nint last = bytes - Vector256<byte>.Count;
            for (nint i = 0; i < last; i += Vector256<byte>.Count)
                Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            Vector256.LoadUnsafe(ref from, (nuint)last).StoreUnsafe(ref to, (nuint)last);
        }
        else if (Vector128.IsHardwareAccelerated && bytes >= Vector128<byte>.Count)
        {
            nint last = bytes - Vector128<byte>.Count;
            for (nint i = 0; i < last; i += Vector128<byte>.Count)
                Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            Vector128.LoadUnsafe(ref from, (nuint)last).StoreUnsafe(ref to, (nuint)last);
        }
        else
        {
            for (int i = 0; i < count; i++) Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i);
        }
    }

    /// <summary>Writes <paramref name="count"/> zeros: a few one by one, a run of rows in one clear.</summary>
    [MethodImpl(HotPath.Options | MethodImplOptions.AggressiveInlining)]
    private static void ZeroRun<T>(ref T target, int count) where T : unmanaged
    {
        if (count <= 8)
        {
            for (int i = 0; i < count; i++) Unsafe.Add(ref target, i) = default!;
        }
        else
        {
            MemoryMarshal.CreateSpan(ref target, count).Clear();
        }
    }

    /// <summary>
    /// Adds the columns matrix back into an image (the adjoint of <see cref="Unfold"/>): every
    /// entry is added to the pixel it was copied from, and entries from the padding are dropped.
    /// Overlapping receptive fields therefore sum their gradients.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void FoldAdd<T>(ReadOnlySpan<T> columns, int rowStride, int channels, int height, int width, Window2D window, int outH, int outW, Span<T> image)
        where T : IAdditionOperators<T, T, T>
    {
        int plane = outH * outW;
        if (window.StrideH == 1 && window.StrideW == 1 && image.Length >= channels * height * width
            && columns.Length >= (channels * window.KernelH * window.KernelW - 1) * rowStride + plane)
        {
            FoldAddStrideOne(ref MemoryMarshal.GetReference(columns), rowStride, channels, height, width, window, outH, outW, ref MemoryMarshal.GetReference(image));
            return;
        }
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var channel = image.Slice(c * height * width, height * width);
            for (int i = 0; i < window.KernelH; i++)
                for (int j = 0; j < window.KernelW; j++, row++)
                {
                    var source = columns.Slice(row * rowStride, plane);
                    ValidRange(j - window.PadW, window.StrideW, width, outW, out int xStart, out int xEnd);
                    if (xStart >= xEnd) continue;
                    for (int y = 0; y < outH; y++)
                    {
                        int targetY = y * window.StrideH - window.PadH + i;
                        if ((uint)targetY >= (uint)height) continue;
                        var line = source.Slice(y * outW, outW);
                        var target = channel.Slice(targetY * width, width);
                        int targetX = xStart * window.StrideW - window.PadW + j;
                        if (window.StrideW == 1) AddShort(line[xStart..xEnd], target.Slice(targetX, xEnd - xStart));
                        else for (int x = xStart; x < xEnd; x++, targetX += window.StrideW) target[targetX] += line[x];
                    }
                }
        }
    }

    /// <summary><see cref="FoldAdd"/> for stride 1 without slicing (the spans were checked to hold every row and the image).</summary>
    [MethodImpl(HotPath.Options)]
    private static void FoldAddStrideOne<T>(ref T columns, int rowStride, int channels, int height, int width, Window2D window, int outH, int outW, ref T image)
        where T : IAdditionOperators<T, T, T>
    {
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            ref T channel = ref Unsafe.Add(ref image, c * height * width);
            for (int i = 0; i < window.KernelH; i++)
                for (int j = 0; j < window.KernelW; j++, row++)
                {
                    ref T source = ref Unsafe.Add(ref columns, (nint)row * rowStride);
                    ValidRange(j - window.PadW, 1, width, outW, out int xStart, out int xEnd);
                    if (xStart >= xEnd) continue;
                    for (int y = 0; y < outH; y++)
                    {
                        int targetY = y - window.PadH + i;
                        if ((uint)targetY >= (uint)height) continue;
                        AddShort(ref Unsafe.Add(ref source, y * outW + xStart), ref Unsafe.Add(ref channel, targetY * width + xStart - window.PadW + j), xEnd - xStart);
                    }
                }
        }
    }

    /// <summary>The output columns x in [start, end) whose source x·stride + offset lies in [0, size).</summary>
    [MethodImpl(HotPath.Options)]
    private static void ValidRange(int offset, int stride, int size, int outputs, out int start, out int end)
    {
        // x·stride + offset ≥ 0  ⇔  x ≥ ⌈−offset / stride⌉ ;  x·stride + offset ≤ size − 1  ⇔  x ≤ ⌊(size − 1 − offset) / stride⌋
        start = offset >= 0 ? 0 : Math.Min(outputs, (-offset + stride - 1) / stride);
        int last = size - 1 - offset;
        end = last < 0 ? 0 : Math.Min(outputs, last / stride + 1);
        if (end < start) end = start;
    }

    // Rows of a small image are a few elements long (10 in LeNet's second convolution), where
    // Span.CopyTo and TensorPrimitives cost more in calling than in copying: whole vectors inline.

    /// <summary>Copies a short row; the last vector may overlap the one before (it writes the same values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("Destination too short.", nameof(destination));
        CopyShort(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination), source.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort<T>(ref T from, ref T to, int length)
    {
        int bits = KernelWidth.Exact;
        if (bits >= 512 && Vector512<T>.IsSupported && length >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count, i = 0;
            for (; i + w <= length; i += w) Vector512.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            if (i < length) Vector512.LoadUnsafe(ref from, (nuint)(length - w)).StoreUnsafe(ref to, (nuint)(length - w));
            return;
        }
        if (bits >= 256 && Vector256<T>.IsSupported && length >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count, i = 0;
            for (; i + w <= length; i += w) Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            if (i < length) Vector256.LoadUnsafe(ref from, (nuint)(length - w)).StoreUnsafe(ref to, (nuint)(length - w));
            return;
        }
        if (bits >= 128 && Vector128<T>.IsSupported && length >= Vector128<T>.Count)
        {
            int w = Vector128<T>.Count, i = 0;
            for (; i + w <= length; i += w) Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
            if (i < length) Vector128.LoadUnsafe(ref from, (nuint)(length - w)).StoreUnsafe(ref to, (nuint)(length - w));
            return;
        }
        for (int i = 0; i < length; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
    }

    /// <summary>Adds a short row into another (no overlap: a vector part, then one element at a time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShort<T>(ReadOnlySpan<T> source, Span<T> destination) where T : IAdditionOperators<T, T, T>
    {
        if (destination.Length < source.Length) throw new ArgumentException("Destination too short.", nameof(destination));
        AddShort(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination), source.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShort<T>(ref T from, ref T to, int length) where T : IAdditionOperators<T, T, T>
    {
        int i = 0, bits = KernelWidth.Exact;
        if (bits >= 256 && Vector256<T>.IsSupported)
        {
            int w = Vector256<T>.Count;
            for (; i + w <= length; i += w)
                (Vector256.LoadUnsafe(ref to, (nuint)i) + Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
        }
        if (bits >= 128 && Vector128<T>.IsSupported)
        {
            int w = Vector128<T>.Count;
            for (; i + w <= length; i += w)
                (Vector128.LoadUnsafe(ref to, (nuint)i) + Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
        }
        for (; i < length; i++) Unsafe.Add(ref to, i) += Unsafe.Add(ref from, i);
    }
}
