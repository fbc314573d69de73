namespace NeuralNets.Kernels;

/// <summary>
/// A small count fixed by a type argument (<see cref="One"/>, <see cref="Two"/>, <see cref="Four"/>, <see cref="Six"/>, <see cref="Eight"/>): a
/// constant the compiler folds, so that a written-out register tile compiled for each count keeps only the accumulators it
/// uses.
/// </summary>
internal interface IConstantCount
{
    /// <summary>The count.</summary>
    static abstract int Count { get; }
}

/// <summary>One.</summary>
internal readonly struct One : IConstantCount
{
    /// <inheritdoc/>
    public static int Count => 1;
}

/// <summary>Two.</summary>
internal readonly struct Two : IConstantCount
{
    /// <inheritdoc/>
    public static int Count => 2;
}

/// <summary>Three.</summary>
internal readonly struct Three : IConstantCount
{
    /// <inheritdoc/>
    public static int Count => 3;
}

/// <summary>Four.</summary>
internal readonly struct Four : IConstantCount
{
    /// <inheritdoc/>
    public static int Count => 4;
}

/// <summary>Six.</summary>
internal readonly struct Six : IConstantCount
{
    /// <inheritdoc/>
    public static int Count => 6;
}

/// <summary>Eight.</summary>
internal readonly struct Eight : IConstantCount
{
    /// <inheritdoc/>
    public static int Count => 8;
}
