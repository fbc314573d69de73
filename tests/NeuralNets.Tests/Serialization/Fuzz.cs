using CsCheck;

namespace NeuralNets.Tests;

/// <summary>Property-based fuzzing of the file loaders with CsCheck: hostile inputs and the one property they must all keep.</summary>
internal static class Fuzz
{
    /// <summary>Every fuzz test starts from this seed, so that each run, on CI too, tries the same cases.</summary>
    public const string Seed = "1fZq0a9Kx3Bm";

    /// <summary>
    /// Runs <paramref name="check"/> on <paramref name="cases"/> inputs drawn from <paramref name="gen"/>.
    /// CsCheck seeds only the first iteration of a sample, so the inputs are drawn as one array in a single
    /// seeded iteration; one thread keeps each allocation measurement to the work of its own case.
    /// </summary>
    public static void Check<T>(Gen<T> gen, int cases, Action<T> check) =>
        gen.Array[cases].Sample(inputs =>
        {
            foreach (var input in inputs) check(input);
        }, seed: Seed, iter: 1, threads: 1, print: _ => $"{cases} cases from seed {Seed}");

    /// <summary>A valid file with one to four random edits: a byte flipped, inserted or deleted.</summary>
    public static Gen<byte[]> Mutations(byte[] valid) =>
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 4].Select(edits => Apply(valid, edits));

    /// <summary>
    /// Asserts the property every loader keeps for any input: it succeeds or throws an
    /// <see cref="InvalidDataException"/>, and allocates at most <see cref="Allocation.Bound"/> of the input's length.
    /// Returns the exception, if it threw one.
    /// </summary>
    public static InvalidDataException? Contained(Action load, byte[] input)
    {
        var (bytes, error) = Allocation.Measure(load);
        if (error is not (null or InvalidDataException))
            throw new InvalidOperationException($"An input of {input.Length} bytes starting {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 48)))} threw {error.GetType().Name}.", error);
        bytes.Should().BeLessThanOrEqualTo(Allocation.Bound(input.Length), $"an input of {input.Length} bytes must not make the loader allocate much more ({error?.Message})");
        return (InvalidDataException?)error;
    }

    private static byte[] Apply(byte[] valid, (int Kind, int Position, byte Value)[] edits)
    {
        var bytes = new List<byte>(valid);
        foreach (var (kind, position, value) in edits)
        {
            int at = position % (bytes.Count + 1);
            if (kind == 1) bytes.Insert(at, value);
            else if (at == bytes.Count) continue;
            else if (kind == 0) bytes[at] ^= (byte)(value | 1); // at least one bit changes
            else bytes.RemoveAt(at);
        }
        return bytes.ToArray();
    }
}
