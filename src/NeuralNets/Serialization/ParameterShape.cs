namespace NeuralNets.Serialization;

/// <summary>A parameter a layer will hold, known from its description before the layer exists.</summary>
/// <param name="Name">Its name within the layer, e.g. <c>"weight"</c>, as <see cref="Parameter{T}.Name"/> will be.</param>
/// <param name="Shape">Its shape, e.g. <c>[outputs, inputs]</c>.</param>
public readonly record struct ParameterShape(string Name, IReadOnlyList<int> Shape);
