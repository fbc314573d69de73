using NeuralNets.Training.Metrics;

namespace NeuralNets.Tests.Training.Metrics;

public class AccuracyTests
{
    private static double Measure(IMetric<double> metric, double[] output, double[] target, int batch)
    {
        var accumulator = metric.CreateAccumulator();
        accumulator.Add(output, target, batch);
        return accumulator.Result;
    }

    [Fact]
    public void Result_ClassIndices_CountsArgmaxHits()
    {
        // Argmaxes 1, 0, 2, 2 against labels 1, 2, 2, 0: two of four.
        double[] logits = [0.1, 0.9, 0.0, /**/ 3, 1, 2, /**/ -1, -2, 0.5, /**/ 0, 0, 1];
        Measure(new Accuracy<double>(), logits, [1, 2, 2, 0], 4).Should().Be(0.5);
    }

    [Fact]
    public void Result_OneHotTargets_ComparesWithTheTargetsArgmax()
    {
        double[] logits = [0.1, 0.9, 0.0, /**/ 3, 1, 2, /**/ -1, -2, 0.5];
        double[] oneHot = [0, 1, 0, /**/ 0, 0, 1, /**/ 0, 0, 1];
        Measure(new Accuracy<double>(), logits, oneHot, 3).Should().BeApproximately(2.0 / 3, 1e-15);
    }

    [Fact]
    public void Result_SingleLogit_PredictsOneAboveTheThreshold()
    {
        double[] outputs = [-0.2, 0.3, 0.7, 2.0, -5];
        double[] targets = [0, 1, 0, 1, 1];
        Measure(new Accuracy<double>(), outputs, targets, 5).Should().Be(0.6, "logits −0.2, 0.3, 2.0 are right at threshold 0; 0.7 and −5 are not");
        Measure(new Accuracy<double>(threshold: 0.5), outputs, targets, 5).Should().Be(0.4, "at 0.5 the 0.3 turns wrong and the 0.7 stays wrong");
    }

    [Fact]
    public void Result_AcrossBatches_IsTheShareOverAllSamples()
    {
        var accumulator = new Accuracy<double>().CreateAccumulator();
        accumulator.Add([1, 0, /**/ 0, 1], [0, 0], 2);   // 1 of 2
        accumulator.Add([0, 1], [1], 1);                 // 1 of 1
        accumulator.Result.Should().BeApproximately(2.0 / 3, 1e-15);
        accumulator.Reset();
        accumulator.Add([0, 1], [0], 1);
        accumulator.Result.Should().Be(0);
    }

    [Fact]
    public void Add_ClassIndexOutsideTheOutputs_ThrowsNamingTheSample()
    {
        var accumulator = new Accuracy<double>().CreateAccumulator();
        accumulator.Add([1, 0, 0, 1], [0, 1], 2);
        var act = () => accumulator.Add([1, 0], [2], 1);
        act.Should().Throw<ArgumentException>().WithMessage("Accuracy: the target of sample 2 is 2, which is not a class index in [0, 2)*");
    }

    [Fact]
    public void Add_TargetsOfAnotherWidth_ThrowsNamingBothWidths()
    {
        var act = () => Measure(new Accuracy<double>(), [1, 0, 0, /**/ 0, 1, 0], [1, 0, 0, 1], 2);
        act.Should().Throw<ArgumentException>().WithMessage("*targets of 2 values per sample fit neither class indices*output's 3 values*");
    }

    [Fact]
    public void Result_NoBatch_Throws()
    {
        var act = () => new Accuracy<double>().CreateAccumulator().Result;
        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void TopK_TiesAtTheBoundary_CountAsInside()
    {
        // Sample 0: label 2 scores 0.3, one class above it → in the top 2. Sample 1: label 0 scores lowest → out.
        // Sample 2: label 1 ties with two others at 1.0, none strictly higher → in (Keras's in_top_k).
        double[] logits = [0.1, 0.9, 0.3, 0.2, /**/ -1, 0, 1, 2, /**/ 1, 1, 1, 0];
        Measure(new TopKAccuracy<double>(2), logits, [2, 0, 1], 3).Should().BeApproximately(2.0 / 3, 1e-15);
        Measure(new TopKAccuracy<double>(1), logits, [2, 0, 1], 3).Should().BeApproximately(1.0 / 3, 1e-15);
        new TopKAccuracy<double>(3).Name.Should().Be("top_3_accuracy");
    }

    [Fact]
    public void TopK_KNotBelowTheOutputs_Throws()
    {
        var act = () => Measure(new TopKAccuracy<double>(2), [1, 0], [0], 1);
        act.Should().Throw<ArgumentException>().WithMessage("*top 2 of an output of 2 values*");
    }
}
