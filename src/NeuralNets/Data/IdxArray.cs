namespace NeuralNets.Data;

/// <summary>
/// The contents of an IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST): its
/// dimensions and its values in row-major order.
/// </summary>
/// <param name="Shape">The dimensions as the header gives them, e.g. <c>[60000, 28, 28]</c>.</param>
/// <param name="Data">The values, row-major; its length is the product of <paramref name="Shape"/>.</param>
public sealed record IdxArray(int[] Shape, byte[] Data);
