namespace NeuralNets.Serialization;

/// <summary>Element counts of shapes read from a file, computed without overflow.</summary>
internal static class ShapeSize
{
    /// <summary>
    /// The number of elements of <paramref name="shape"/>, or -1 when it exceeds <paramref name="limit"/>;
    /// stopping at the limit keeps the product from overflowing whatever the file claims.
    /// </summary>
    public static long Count(IReadOnlyList<int> shape, long limit)
    {
        long count = 1;
        foreach (int length in shape)
        {
            count *= length;
            if (count > limit) return -1;
        }
        return count;
    }
}
