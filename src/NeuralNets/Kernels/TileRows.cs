namespace NeuralNets.Kernels;

/// <summary>
/// The height of a register tile as a constant of the compiled code: a micro-kernel generic over it computes only the rows
/// the tile has, so a strip's last few rows take a shorter tile instead of a full one that re-reads its last row.
/// </summary>
internal interface ITileRows
{
    /// <summary>Rows of the tile.</summary>
    static abstract int Count { get; }
}

/// <summary>A six-row tile.</summary>
internal readonly struct SixRows : ITileRows
{
    /// <inheritdoc />
    public static int Count => 6;
}

/// <summary>A four-row tile.</summary>
internal readonly struct FourRows : ITileRows
{
    /// <inheritdoc />
    public static int Count => 4;
}

/// <summary>A two-row tile.</summary>
internal readonly struct TwoRows : ITileRows
{
    /// <inheritdoc />
    public static int Count => 2;
}
