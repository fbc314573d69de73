namespace NeuralNets.Interop;

/// <summary>
/// Writes one layer as ONNX nodes: reads the layer's <see cref="OnnxExportStep.Description"/>, adds nodes that compute
/// it from <see cref="OnnxExportStep.Input"/> and the layer's parameters, and returns the name of the value that
/// holds its output. A layer that computes nothing at inference (Dropout) returns <see cref="OnnxExportStep.Input"/>.
/// </summary>
/// <remarks>Throw <see cref="NotSupportedException"/> for a configuration ONNX cannot express; the exporter adds the layer's position to the message.</remarks>
/// <example><code>
/// step => step.AddNode("Gemm", [step.Input, step.Parameters[0], step.Parameters[1]], OnnxAttribute.Int("transB", 1))
/// </code></example>
public delegate string OnnxLayerMapping(OnnxExportStep step);
