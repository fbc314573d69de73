namespace NeuralNets.Tests.Kernels;

/// <summary>
/// A 64-bit FNV-1a hash of weights' raw bits, in order: managed code only, so that it runs the same under qemu on
/// ARM64 (no OpenSSL) and says "same weights" only when every bit of every weight is the same.
/// </summary>
internal sealed class WeightFingerprint
{
    private const ulong Prime = 1099511628211;
    private ulong _hash = 14695981039346656037;

    /// <summary>The hash so far.</summary>
    public ulong Value => _hash;

    public void Add(ReadOnlySpan<float> values)
    {
        foreach (float v in values) AddBytes((uint)BitConverter.SingleToInt32Bits(v), 4);
    }

    public void Add(ReadOnlySpan<double> values)
    {
        foreach (double v in values) AddBytes((ulong)BitConverter.DoubleToInt64Bits(v), 8);
    }

    private void AddBytes(ulong bits, int count)
    {
        for (int i = 0; i < count; i++, bits >>= 8) _hash = (_hash ^ (bits & 0xFF)) * Prime;
    }
}
