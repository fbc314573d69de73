using NeuralNets.Kernels;
namespace NeuralNets.Data;

/// <summary>
/// A small random stream keyed by (seed, epoch, sample): SplitMix64 over a key mixed from the three, so every sample of
/// every epoch has a stream of its own that no other sample's draws can shift.
/// </summary>
internal struct SampleRandom
{
    private ulong _state;

    public SampleRandom(int seed, int epoch, long sample)
    {
        _state = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Mix((ulong)(uint)epoch + 0xD1B54A32D192ED03UL) ^ Mix((ulong)sample ^ 0x8CB92BA72F3D8DD7UL));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() => Mix(_state += Golden);

    // The step between states: 2⁶⁴ divided by the golden ratio, odd.
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// The state the draws count from: draw n (from 0) of <see cref="NextUInt64"/> is <see cref="DrawAt"/>(Start, n), whatever
    /// came before it, so that a long run of draws can be cut into ranges computed apart, on several threads.
    /// </summary>
    public readonly ulong Start => _state;

    /// <summary>Draw <paramref name="index"/> (from 0) of <see cref="NextUInt64"/> from the state <paramref name="start"/>.</summary>
    public static ulong DrawAt(ulong start, long index) => Mix(start + (ulong)(index + 1) * Golden);

    /// <summary>
    /// The integer form of <c>NextDouble() &lt; p</c> for p in [0, 1]: exactly when the draw's top 53 bits are below the
    /// returned bound (p·2⁵³ is exact, and an integer k is below it exactly when it is below its ceiling).
    /// </summary>
    public static ulong Below(double p) => (ulong)Math.Ceiling(p * (1UL << 53));

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)(NextDouble() * count);

    /// <summary>A standard normal draw (Box–Muller; one of the pair is used, so the stream is simple to follow).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();  // in (0, 1]: the logarithm stays finite
        return StandardNormal.FromUniforms(u1, NextDouble());
    }
}
