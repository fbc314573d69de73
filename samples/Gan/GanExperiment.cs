using NeuralNets.Data;
using NeuralNets.Layers;

namespace NeuralNets.Samples.Gan;

/// <summary>One image GAN to train: its data, networks, label conditioning, judge and how its pictures are drawn.</summary>
/// <param name="Name">Short name, used in file names and titles ("digits", "fashion").</param>
/// <param name="ClassNames">Row labels of the grids, one per class.</param>
/// <param name="Real">The real images the GAN learns from.</param>
/// <param name="ClassifierTrain">The judge's training set (real images).</param>
/// <param name="ClassifierTest">Real images the judge has not seen, for its accuracy.</param>
/// <param name="Conditioning">How labels join the networks' inputs.</param>
/// <param name="Generator">The generator.</param>
/// <param name="Discriminator">The discriminator.</param>
/// <param name="Classifier">The judge, untrained.</param>
/// <param name="ClassifierEpochs">Epochs to train the judge.</param>
/// <param name="Zoom">Pixels per image pixel in the grids.</param>
public sealed record GanExperiment(
    string Name, IReadOnlyList<string> ClassNames, Dataset<float> Real, Dataset<float> ClassifierTrain, Dataset<float> ClassifierTest,
    LabelConditioning Conditioning, Sequential<float> Generator, Sequential<float> Discriminator, Sequential<float> Classifier,
    int ClassifierEpochs, int Zoom)
{
    /// <summary>The 8×8 digits: MLPs, the label as a one-hot vector for both networks; the judge learns on 80 % of the digits.</summary>
    public static GanExperiment Digits(string dataFolder, int noiseSize, int seed)
    {
        var all = DigitsData.Load(DigitsData.Locate(dataFolder));
        var (train, test) = all.Split(0.2, seed);
        return new GanExperiment("digits", [.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            all, train, test, LabelConditioning.Vector(64, 10),
            GanNetworks.DigitsGenerator(noiseSize, seed), GanNetworks.DigitsDiscriminator(seed + 1), GanNetworks.DigitsClassifier(seed + 2),
            ClassifierEpochs: 60, Zoom: 6);
    }

    /// <summary>Fashion-MNIST: a convolutional generator and discriminator, the label as planes for the discriminator; the judge learns on all 60 000 training images.</summary>
    public static GanExperiment Fashion(string directory, int trainSubset, int noiseSize, int seed)
    {
        var train = FashionData.Load(directory, train: true);
        var real = trainSubset > 0 && trainSubset < train.Count ? train.Take(trainSubset) : train;
        return new GanExperiment("fashion", FashionMnist.ClassNames, real, train, FashionData.Load(directory, train: false),
            LabelConditioning.Planes(28, 28, 10),
            GanNetworks.FashionGenerator(noiseSize, seed), GanNetworks.FashionDiscriminator(seed + 1), GanNetworks.FashionClassifier(seed + 2),
            ClassifierEpochs: 5, Zoom: 2);
    }
}
