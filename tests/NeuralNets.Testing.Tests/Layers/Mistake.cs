namespace NeuralNets.Testing.Tests.Layers;

/// <summary>The slips a student's dense layer can be made to have, one at a time.</summary>
public enum Mistake
{
    None,
    WeightGradientAveraged,
    WeightGradientNegated,
    WeightGradientTransposed,
    BiasGradientMissing,
    InputGradientScaled,
    Overwrites,
    WritesIntoInput,
    WritesIntoOutputGradient,
    MixesSamples,
    IgnoresShape,
    TrainingScales,
    IndexesPastTheEnd,
    ForgetsInputAfterBackward,
    DriftsInInference,
    InputAndWeightGradientScaled,
    BackwardReturnsTransposedShape,
    BackwardReturnsFlat,
}
