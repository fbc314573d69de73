using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// The errors the passes and kernels build apart from their fully optimised code (PassShapes, KernelErrors and the layers'
/// own throw helpers): each names what did not fit, in the words it always used, with numbers written the same under any
/// culture (the tests run under de-DE, whose decimal comma would show).
/// </summary>
public class PassErrorMessageTests
{
    private static Tensor<double> Filled(params int[] shape) => TestTensors.Random<double>(1, shape);

    private static void UnderGermanCulture(Action check)
    {
        using var german = CultureScope.Of("de-DE");
        check();
    }

    private static void ShapeError(Action act, string layer, string expected, string actual) =>
        act.Should().Throw<ShapeMismatchException>().Which.Message.Should().Be($"{layer}: expected input of shape {expected} but got {actual}.");

    [Fact]
    public void Dense_ForwardAndBackward_NameTheShapesTheyWanted() => UnderGermanCulture(() =>
    {
        var dense = new Dense<double>(3, 2, seed: 1);
        ShapeError(() => dense.Forward(Filled(2, 4), training: true), dense.ToString(), "[N, 3]", "[2, 4]");
        dense.Forward(Filled(2, 3), training: true);
        ShapeError(() => dense.Backward(Filled(2, 3)), dense + " (backward)", "[2, 2]", "[2, 3]");
    });

    [Fact]
    public void Convolutions_ForwardAndBackward_NameTheShapesTheyWanted() => UnderGermanCulture(() =>
    {
        var conv = new Conv2D<double>(2, 3, kernel: 3, seed: 1);
        ShapeError(() => conv.Forward(Filled(1, 1, 5, 5), training: true), conv.ToString(), "[N, 2, H, W]", "[1, 1, 5, 5]");
        conv.Invoking(c => c.Forward(Filled(1, 2, 2, 2), training: true)).Should().Throw<ShapeMismatchException>()
            .Which.Message.Should().StartWith($"{conv}: expected input of shape [N, 2, H, W] but got [1, 2, 2, 2] (the 3×3 kernel is larger");
        conv.Forward(Filled(1, 2, 5, 5), training: true);
        ShapeError(() => conv.Backward(Filled(1, 3, 3, 2)), conv + " (backward)", "[1, 3, 3, 3]", "[1, 3, 3, 2]");

        var transposed = new ConvTranspose2D<double>(2, 3, kernel: 3, seed: 1);
        ShapeError(() => transposed.Forward(Filled(1, 1, 4, 4), training: true), transposed.ToString(), "[N, 2, H, W]", "[1, 1, 4, 4]");
        transposed.Forward(Filled(1, 2, 4, 4), training: true);
        ShapeError(() => transposed.Backward(Filled(1, 3, 6, 5)), transposed + " (backward)", "[1, 3, 6, 6]", "[1, 3, 6, 5]");
    });

    [Fact]
    public void ShapingLayers_Backward_NameTheGradientsTheyWanted() => UnderGermanCulture(() =>
    {
        var flatten = new Flatten<double>();
        flatten.Forward(Filled(2, 3, 4), training: true);
        ShapeError(() => flatten.Backward(Filled(2, 11)), flatten + " (backward)", "[2, 12]", "[2, 11]");

        var pool = new GlobalAvgPool2D<double>();
        pool.Forward(Filled(2, 3, 4, 4), training: true);
        ShapeError(() => pool.Backward(Filled(2, 4)), pool + " (backward)", "[2, 3]", "[2, 4]");

        var unflatten = new Unflatten<double>(1, [2, 3]);
        unflatten.Forward(Filled(2, 6), training: true);
        ShapeError(() => unflatten.Backward(Filled(2, 3, 2)), unflatten + " (backward)", "[2, 2, 3]", "[2, 3, 2]");
    });

    [Fact]
    public void ElementwiseLayers_Backward_NameTheirInputsShape() => UnderGermanCulture(() =>
    {
        var relu = new ReLU<double>();
        relu.Forward(Filled(2, 3), training: true);
        ShapeError(() => relu.Backward(Filled(2, 4)), relu + " (backward)", "[2, 3]", "[2, 4]");

        var dropout = new Dropout<double>(0.5, seed: 1);
        dropout.Forward(Filled(2, 3), training: true);
        ShapeError(() => dropout.Backward(Filled(3, 2)), dropout + " (backward)", "[2, 3]", "[3, 2]");
    });

    [Fact]
    public void BatchNorm_NamesWhatItNeeds() => UnderGermanCulture(() =>
    {
        var norm = new BatchNorm2D<double>(3);
        ShapeError(() => norm.Forward(Filled(2, 2, 4, 4), training: true), norm.ToString(), "[N, C, H, W] with C = 3", "[2, 2, 4, 4]");
        norm.Forward(Filled(2, 3, 4, 4), training: true);
        ShapeError(() => norm.Backward(Filled(2, 3, 4, 3)), norm + " (backward)", "[2, 3, 4, 4]", "[2, 3, 4, 3]");

        var rows = new BatchNorm1D<double>(3);
        rows.Invoking(r => r.Forward(Filled(1, 3), training: true)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "input")
            .Which.Message.Should().StartWith($"{rows}: training needs more than one value per channel (batch 1 × 1 positions), as PyTorch does.");
        var copy = rows.CreateInferenceCopy()!;
        copy.Invoking(c => c.Forward(Filled(2, 3), training: true)).Should().Throw<InvalidOperationException>()
            .WithMessage($"{copy}: an inference copy shares its source's running statistics read-only and cannot train.");
    });

    [Fact]
    public void SharedLayer_RefusesToTrainThroughACopy()
    {
        var dense = new Dense<double>(3, 2, seed: 1);
        var shared = new TakingTurns<double>(dense);
        shared.Invoking(s => s.Forward(Filled(2, 3), training: true)).Should().Throw<InvalidOperationException>()
            .WithMessage($"{dense} is shared by inference copies; it cannot train through one.");
    }

    [Fact]
    public void Losses_NameTheTargetOrWeightsThatDoNotFit() => UnderGermanCulture(() =>
    {
        var weighted = new CrossEntropy<double>(classWeights: [1, 1]);
        weighted.Invoking(l => l.Forward(Filled(2, 3), TestTensors.Create([0.0, 2.0], 2))).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "output").Which.Message.Should().StartWith($"{weighted}: 2 class weights for 3 classes.");

        var logits = new BinaryCrossEntropyWithLogits<double>();
        logits.Invoking(l => l.Forward(Filled(1, 2), TestTensors.Create([0.0, 1.5], 1, 2))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "target").Which.Message.Should().StartWith($"{logits}: target 1.5 at element 1 is outside [0, 1].");
    });

    [Fact]
    public void Kernels_NameTheLengthsThatDoNotFit() => UnderGermanCulture(() =>
    {
        float[] five = new float[5], four = new float[4], three = new float[3];
        Throws(() => FloatSigmoid.Compute(five, three)).Should().Be("Sigmoid of 5 values into a span of 3.");
        Throws(() => Exponential.Compute<float>(five, three)).Should().Be("Exponential of 5 values into a span of 3.");
        Throws(() => Logarithm.Compute<float>(five, three)).Should().Be("Logarithm of 5 values into a span of 3.");
        Throws(() => FloatActivations.Forward(new TanhForward(), five, three)).Should().Be("An activation of 5 values into a span of 3.");
        Throws(() => FloatActivations.Backward(new SiluBackward(), five, four, five)).Should().Be("A gradient of 5 values with spans of 4 and 5.");
        Throws(() => Elementwise.AddRows<float>(new float[7], 3, three)).Should().Be("Adding rows of 3 from 7 elements into 3.");
        Throws(() => AdamStep.Apply<float>(three, new float[2], three, three, 0.9f, 0.1f, 0.999f, 0.001f, 1f, 1e-8f, -0.001f))
            .Should().Be("Adam's update over spans of 3, 2, 3 and 3 elements.");
        var copying = () => Elementwise.CopyAllFinite<float>(five, four);
        copying.Should().Throw<ArgumentException>().Where(e => e.ParamName == "copy").Which.Message.Should().StartWith("Copying 5 elements into 4.");
    });

    private static string Throws(Action act) => act.Should().Throw<ArgumentException>().Which.Message;
}
