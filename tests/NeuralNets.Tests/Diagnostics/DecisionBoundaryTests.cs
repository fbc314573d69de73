using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>Decision regions of networks with hand-set weights, whose boundary is a known line.</summary>
public class DecisionBoundaryTests
{
    // One logit x − y: class 1 (probability σ(x − y)) below the line y = x, class 0 above it.
    private static Sequential<double> BelowTheDiagonal()
    {
        var dense = new Dense<double>(2, 1, seed: 1);
        dense.Weight.SetValue([1.0, -1.0]);
        dense.Bias!.SetValue([0.0]);
        return new Sequential<double>([2], dense);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    // Spans the plane's y so that no pixel centre of a 40×40 grid lies on y = x (no ties to break).
    private static readonly PlaneRegion Shifted = new(-1, 1, -0.975, 1.025);

    [Fact]
    public void Evaluate_SigmoidOutput_ProbabilitiesAreTheSigmoidAtEachCellCentre()
    {
        var map = DecisionBoundary.Evaluate(BelowTheDiagonal(), new PlaneRegion(-1, 1, -1, 1), columns: 4, rows: 4);
        (map.Columns, map.Rows, map.Classes).Should().Be((4, 4, 2));
        // Cell (3, 3) is centred at (0.75, −0.75): logit 1.5. Cell (0, 0) at (−0.75, 0.75): logit −1.5.
        map.PointAt(3, 3).Should().Be((0.75, -0.75));
        map.Probability(3, 3, 1).Should().BeApproximately(Sigmoid(1.5), 1e-12);
        map.Probability(3, 3, 0).Should().BeApproximately(1 - Sigmoid(1.5), 1e-12);
        map.ClassAt(3, 3).Should().Be(1);
        map.ClassAt(0, 0).Should().Be(0);
    }

    [Fact]
    public void Evaluate_TwoSoftmaxOutputs_ClassOneAboveTheDiagonal()
    {
        // Scores (x, y): class 1 wins where y > x, with probability σ(y − x).
        var dense = new Dense<double>(2, 2, seed: 1);
        dense.Weight.SetValue([1.0, 0.0, 0.0, 1.0]);
        dense.Bias!.SetValue([0.0, 0.0]);
        var map = DecisionBoundary.Evaluate(new Sequential<double>([2], dense), Shifted, 40, 40);
        map.Classes.Should().Be(2);
        var (x, y) = map.PointAt(5, 5);
        map.ClassAt(5, 5).Should().Be(1);
        map.Probability(5, 5, 1).Should().BeApproximately(Sigmoid(y - x), 1e-12);
        map.ClassAt(35, 35).Should().Be(0);
    }

    [Fact]
    public void Draw_RegionsOnBothSides_AndTheBoundaryBetween()
    {
        var plot = DecisionBoundary.Draw(BelowTheDiagonal(), train: null, test: null, new DecisionBoundaryOptions { Region = Shifted, Width = 40, Height = 40 });
        Rgb Pixel(int column, int row) => plot.Picture.Get(plot.PlotLeft + column, plot.PlotTop + row);

        // Row 20 is centred at y = 0; column 19 at x = −0.025 (class 0), column 20 at x = 0.025 (class 1).
        plot.Map.PointAt(19, 20).X.Should().BeApproximately(-0.025, 1e-12);
        plot.Map.PointAt(19, 20).Y.Should().BeApproximately(0, 1e-12);
        Pixel(19, 20).Should().Be(new Rgb(40, 40, 40), "the last class-0 pixel before class 1 is the boundary");
        Pixel(18, 20).Should().Be(DecisionBoundary.RegionColor(0, 1 - Sigmoid(-0.075), 2));
        Pixel(39, 39).Should().Be(DecisionBoundary.RegionColor(1, Sigmoid(0.975 - -0.95), 2), "bottom right, far below the line");
        Pixel(0, 0).Should().Be(DecisionBoundary.RegionColor(0, 1 - Sigmoid(-0.975 - 1.0), 2), "top left, far above the line");
        // Confident cells are stronger than cells near the line.
        DecisionBoundary.RegionColor(1, 0.99, 2).B.Should().BeLessThan(DecisionBoundary.RegionColor(1, 0.55, 2).B);
    }

    [Fact]
    public void Draw_TrainPointsAreDiscs_TestPointsAreCrosses_InTheirClassColour()
    {
        var train = Dataset<double>.FromLabels([[0.5, -0.5]], [1], classCount: 2);
        var test = Dataset<double>.FromLabels([[-0.5, 0.5]], [0], classCount: 2);
        var plot = DecisionBoundary.Draw(BelowTheDiagonal(), train, test,
            new DecisionBoundaryOptions { Region = Shifted, Width = 40, Height = 40, Title = "a title" });
        var picture = plot.Picture;

        var (tx, ty) = plot.PixelOf(0.5, -0.5);
        (tx - plot.PlotLeft, ty - plot.PlotTop).Should().Be((30, 30), "x = 0.5 is 1.5/2 of 40 pixels across, y = −0.5 is 1.525/2 down");
        picture.Get(tx, ty).Should().Be(DecisionBoundary.ClassColor(1));
        picture.Get(tx + 3, ty).Should().Be(DecisionBoundary.ClassColor(1), "a disc of radius 3 is filled 3 pixels to the side");

        var (cx, cy) = plot.PixelOf(-0.5, 0.5);
        picture.Get(cx, cy).Should().Be(DecisionBoundary.ClassColor(0));
        picture.Get(cx + 2, cy + 2).Should().Be(DecisionBoundary.ClassColor(0), "the cross's diagonal");
        picture.Get(cx + 4, cy).Should().NotBe(DecisionBoundary.ClassColor(0), "a cross has no horizontal arm");
        picture.Get(cx + 4, cy).Should().NotBe(new Rgb(0, 0, 0));
    }

    [Fact]
    public void Draw_BadArguments_AreRejectedSayingWhat()
    {
        var threeInputs = new Sequential<double>([3], new Dense<double>(3, 1, seed: 1));
        var region = new PlaneRegion(-1, 1, -1, 1);
        FluentActions.Invoking(() => DecisionBoundary.Evaluate(threeInputs, region, 4, 4))
            .Should().Throw<ArgumentException>().WithMessage("*2 inputs*[3]*");
        FluentActions.Invoking(() => DecisionBoundary.Evaluate(BelowTheDiagonal(), new PlaneRegion(1, 1, -1, 1), 4, 4))
            .Should().Throw<ArgumentException>().WithMessage("*x range*");
        var threeFeatures = Dataset<double>.FromLabels([[0.0, 0, 0]], [0], classCount: 2);
        FluentActions.Invoking(() => DecisionBoundary.Draw(BelowTheDiagonal(), threeFeatures, null))
            .Should().Throw<ArgumentException>().WithMessage("*2 features*[3]*");
        FluentActions.Invoking(() => DecisionBoundary.Draw(BelowTheDiagonal(), null, null, new DecisionBoundaryOptions { Region = region, ClassNames = ["only one"] }))
            .Should().Throw<ArgumentException>().WithMessage("*2 classes but 1 class names*");
    }

    [Fact]
    public void PlaneRegion_Around_IsTheBoundingBoxWidenedByTheMargin()
    {
        var points = Dataset<double>.FromLabels([[0.0, 1], [2.0, 5]], [0, 1], classCount: 2);
        PlaneRegion.Around(0.25, points).Should().Be(new PlaneRegion(-0.5, 2.5, 0, 6));
    }
}
