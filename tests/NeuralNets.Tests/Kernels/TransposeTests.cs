using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The whole-matrix transpose (the packed product's transposed copy of A) against the definition, for shapes that leave
/// every remainder: rows in pairs of squares, a single square row, rows and columns outside any square.
/// </summary>
public class TransposeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 8)]
    [InlineData(16, 8)]
    [InlineData(24, 17)]   // a pair of square rows, then a single one, columns past the last square
    [InlineData(33, 40)]
    [InlineData(256, 128)] // a 128-output layer's gradient at batch 256
    [InlineData(7, 31)]
    public unsafe void Matrix_FloatAndDouble_EqualsTheDefinition(int rows, int columns)
    {
        Check<float>(rows, columns);
        Check<double>(rows, columns);
    }

    private static unsafe void Check<T>(int rows, int columns) where T : unmanaged, IConvertible
    {
        var source = new T[rows * columns];
        for (int i = 0; i < source.Length; i++) source[i] = (T)Convert.ChangeType(i + 1, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        var target = new T[rows * columns];
        fixed (T* s = source) fixed (T* t = target) Transpose.Matrix(s, rows, columns, t);
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < columns; q++)
                target[q * rows + r].Should().Be(source[r * columns + q], $"{typeof(T).Name} element ({r}, {q}) of {rows}×{columns}");
    }
}
