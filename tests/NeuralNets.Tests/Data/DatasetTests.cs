using MathNet.Numerics.LinearAlgebra;
using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class DatasetTests
{
    private static readonly double[][] Rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]];
    private static readonly double[][] Values = [[0.5], [1.5], [2.5], [3.5]];

    [Fact]
    public void SampleShapeAndTargetShape_CastBackOrSourceChanged_DatasetUnchanged()
    {
        var features = TestTensors.Random<double>(1, 4, 2, 3);
        var data = new Dataset<double>(features, TestTensors.Random<double>(2, 4, 5));
        var asList = (IList<int>)data.SampleShape;
        var act = () => asList[0] = 99;
        act.Should().Throw<NotSupportedException>();
        ((IList<int>)data.TargetShape).Invoking(t => t.Add(1)).Should().Throw<NotSupportedException>();
        data.SampleShape.Should().Equal(2, 3);
        data.TargetShape.Should().Equal(5);
        data.Features.Lengths.ToArray().Should().Equal(4, 2, 3);
    }

    [Fact]
    public void FromArraysAndFromMatrices_SameData_Agree()
    {
        var fromArrays = Dataset<double>.FromArrays(Rows, Values);
        var fromMatrices = Dataset<double>.FromMatrices(Matrix<double>.Build.DenseOfRowArrays(Rows), Matrix<double>.Build.DenseOfRowArrays(Values));

        fromArrays.Features.Span().ToArray().Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        fromMatrices.Features.Span().ToArray().Should().Equal(fromArrays.Features.Span().ToArray());
        fromMatrices.Targets.Span().ToArray().Should().Equal(0.5, 1.5, 2.5, 3.5);
        fromMatrices.SampleShape.Should().Equal(3);
        fromMatrices.TargetShape.Should().Equal(fromArrays.TargetShape);
        fromMatrices.ClassCount.Should().BeNull();
    }

    [Fact]
    public void FromLabels_ArraysMatrixAndTensor_Agree()
    {
        int[] labels = [2, 0, 1, 2];
        var fromArrays = Dataset<double>.FromLabels(Rows, labels, classCount: 3);
        var fromMatrix = Dataset<double>.FromLabels(Matrix<double>.Build.DenseOfRowArrays(Rows), labels, classCount: 3);
        var fromTensor = Dataset<double>.FromLabels(TensorMemory.Wrap(Rows.SelectMany(r => r).ToArray(), [4, 3]), labels, classCount: 3);

        foreach (var data in new[] { fromMatrix, fromTensor })
        {
            data.Features.Span().ToArray().Should().Equal(fromArrays.Features.Span().ToArray());
            data.Targets.Span().ToArray().Should().Equal(2, 0, 1, 2);
            data.ClassCount.Should().Be(3);
        }
    }

    [Fact]
    public void Constructor_CopiesTheCallersTensors()
    {
        var features = new float[] { 1, 2, 3, 4 };
        var data = new Dataset<float>(TestTensors.Create(features, 2, 2), TestTensors.Create(new float[] { 0, 1 }, 2), classCount: 2);
        features[0] = 99;
        data.Features.ToArray()[0].Should().Be(1, "the caller keeps its own array");
    }

    [Fact]
    public void FromArraysSubsetAndLabels_HoldTheirFeaturesOnce()
    {
        // The rows are stacked (or the subset gathered) into a new array, which the dataset keeps rather
        // than copying again: about one feature array's worth of allocation, not two.
        const int rows = 2000, width = 784;
        var source = Enumerable.Range(0, rows).Select(r => Enumerable.Repeat((float)r, width).ToArray()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(r => r % 10).ToArray();
        long featureBytes = (long)rows * width * sizeof(float);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var data = Dataset<float>.FromLabels(source, labels, classCount: 10);
        long stacked = GC.GetAllocatedBytesForCurrentThread() - before;
        stacked.Should().BeLessThan(featureBytes * 3 / 2, "FromLabels over arrays allocates the stacked features once");

        var indices = Enumerable.Range(0, rows).Reverse().ToArray();
        before = GC.GetAllocatedBytesForCurrentThread();
        var subset = data.Subset(indices);
        long gathered = GC.GetAllocatedBytesForCurrentThread() - before;
        gathered.Should().BeLessThan(featureBytes * 3 / 2, "Subset allocates the gathered features once");
        subset.Features.ToArray()[0].Should().Be(rows - 1);
    }

    [Fact]
    public void FromLabels_LabelOutsideClassRange_ThrowsNamingLabelAndSample()
    {
        var act = () => Dataset<double>.FromLabels(Rows, [0, 1, 3, 2], classCount: 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Label 3 of sample 2 is outside the class range [0, 3)*");
    }

    [Fact]
    public void FromLabels_NegativeLabel_Throws()
    {
        var act = () => Dataset<double>.FromLabels(Rows, [0, -1, 1, 2], classCount: 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Label -1 of sample 1*");
    }

    [Fact]
    public void FromArrays_NoRows_ThrowsEmpty()
    {
        var act = () => Dataset<double>.FromArrays([], []);
        act.Should().Throw<ArgumentException>().WithMessage("*empty*");
    }

    [Fact]
    public void Constructor_ZeroSamples_ThrowsEmpty()
    {
        var act = () => new Dataset<float>(TensorMemory.Wrap(Array.Empty<float>(), [0, 3]), TensorMemory.Wrap(Array.Empty<float>(), [0]));
        act.Should().Throw<ArgumentException>().WithMessage("The dataset is empty*");
    }

    [Fact]
    public void FromArrays_NaNFeature_ThrowsNamingSampleAndElement()
    {
        double[][] rows = [[1, 2], [3, double.NaN]];
        var act = () => Dataset<double>.FromArrays(rows, [[0], [1]]);
        act.Should().Throw<ArgumentException>().WithMessage("Features contains a non-finite value (NaN) at sample 1, element 1*");
    }

    [Fact]
    public void FromArrays_RaggedRows_ThrowsNamingRow()
    {
        double[][] rows = [[1, 2], [3]];
        var act = () => Dataset<double>.FromArrays(rows, [[0], [1]]);
        act.Should().Throw<ArgumentException>().WithMessage("Row 1 has 1 values but row 0 has 2*");
    }

    [Fact]
    public void Split_SameSeed_IsRepeatableDisjointAndComplete()
    {
        var data = Dataset<double>.FromArrays(Enumerable.Range(0, 50).Select(i => new double[] { i }).ToArray(), Enumerable.Range(0, 50).Select(i => new double[] { -i }).ToArray());

        var (train, validation) = data.Split(0.2, seed: 9);
        var (trainAgain, validationAgain) = data.Split(0.2, seed: 9);

        var trainIds = train.Features.Span().ToArray();
        var validationIds = validation.Features.Span().ToArray();
        validationIds.Should().HaveCount(10);
        trainIds.Should().HaveCount(40);
        trainIds.Intersect(validationIds).Should().BeEmpty();
        trainIds.Concat(validationIds).Order().Should().Equal(Enumerable.Range(0, 50).Select(i => (double)i));
        trainAgain.Features.Span().ToArray().Should().Equal(trainIds);
        validationAgain.Features.Span().ToArray().Should().Equal(validationIds);
        // Targets travel with their samples.
        train.Targets.Span().ToArray().Should().Equal(trainIds.Select(v => -v));
    }

    [Fact]
    public void Split_DifferentSeeds_DrawDifferentValidationSets()
    {
        var data = Dataset<double>.FromArrays(Enumerable.Range(0, 50).Select(i => new double[] { i }).ToArray(), Enumerable.Range(0, 50).Select(i => new double[] { i }).ToArray());

        var a = data.Split(0.2, seed: 1).Validation.Features.Span().ToArray();
        var b = data.Split(0.2, seed: 2).Validation.Features.Span().ToArray();

        a.Should().NotEqual(b);
    }
}
