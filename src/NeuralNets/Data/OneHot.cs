using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>One-hot encoding: class <c>k</c> of <c>K</c> becomes a row of <c>K</c> values, 1 at <c>k</c> and 0 elsewhere.</summary>
public static class OneHot
{
    /// <summary>Encodes class indices in [0, <paramref name="classCount"/>) as rows of shape <c>[N, classCount]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class index lies outside the range (the message names the sample).</exception>
    public static Tensor<T> Encode<T>(ReadOnlySpan<int> classes, int classCount) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfLessThan(classCount, 1);
        var result = new T[checked(classes.Length * classCount)];
        for (int i = 0; i < classes.Length; i++)
        {
            if ((uint)classes[i] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(classes), string.Create(CultureInfo.InvariantCulture, $"Sample {i} has class {classes[i]}, outside [0, {classCount})."));
            result[i * classCount + classes[i]] = T.One;
        }
        return TensorMemory.Wrap(result, [classes.Length, classCount]);
    }
}
