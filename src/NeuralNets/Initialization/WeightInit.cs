namespace NeuralNets.Initialization;

/// <summary>How a layer's weights are drawn at construction. Biases start at zero.</summary>
public enum WeightInit
{
    /// <summary>Glorot/Xavier uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)). Suits sigmoid and tanh.</summary>
    GlorotUniform,
    /// <summary>Glorot/Xavier normal: N(0, σ²) with σ = √(2 / (fanIn + fanOut)).</summary>
    GlorotNormal,
    /// <summary>He/Kaiming uniform: U(−a, a) with a = √(6 / fanIn). Suits ReLU.</summary>
    HeUniform,
    /// <summary>He/Kaiming normal: N(0, σ²) with σ = √(2 / fanIn).</summary>
    HeNormal,
    /// <summary>All zeros (for weights a caller sets by hand).</summary>
    Zeros,
}
