using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;
using NeuralNets.Training.Metrics;
using static NeuralNets.Serialization.ModelJson;

namespace NeuralNets.Serialization;

/// <summary>
/// Reads a checkpoint file field by field, so that every malformed field is reported as an <see cref="InvalidDataException"/>
/// naming the file and the field. Every array it allocates is no longer than what the file holds (buffers are decoded
/// from base64 whose length is checked first), so memory stays bounded by the file's size.
/// </summary>
internal static class CheckpointJson
{
    /// <summary>Reads and parses <paramref name="path"/>; file-system errors pass through unchanged.</summary>
    /// <param name="path">The file.</param>
    /// <param name="file">Names the file in messages, e.g. <c>'run.ckpt.json'</c>.</param>
    public static CheckpointDocument Read(string path, string file)
    {
        using var stream = File.OpenRead(path);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not a NeuralNets checkpoint: {e.Message}", e);
        }
        using (json)
        {
            try
            {
                return Parse(json.RootElement, file);
            }
            catch (InvalidOperationException e)
            {
                // Raised when a string holds bytes that are not UTF-8: the parser lets them through until the text is read.
                throw new InvalidDataException($"{file} holds text that is not valid UTF-8.", e);
            }
        }
    }

    private static CheckpointDocument Parse(JsonElement root, string file)
    {
        int version = CheckFormat(root, file);
        string elementType = String(root, "ElementType", file);
        if (!ModelDocument.HoldsElementType(elementType))
            throw new InvalidDataException($"{file}: 'ElementType' must be \"Single\" or \"Double\", was {Show(root.GetProperty("ElementType"))}.");
        var progress = Progress(Field(root, "Progress", file), $"{file}: Progress");
        var streams = Items(root, "RandomStreams", "random stream", file, (element, where) =>
            new RandomStreamRecord(String(element, "Layer", where), NonNegative(element, "Position", where)));
        var optimizer = Optimizer(Field(root, "Optimizer", file), $"{file}: Optimizer");
        CallbackState[]? callbacks = version < 2 ? null : Items(root, "Callbacks", "callback", file, CallbackStateOf);
        var history = Items(root, "History", "epoch", file, Report);
        var model = ModelJson.Parse(Field(root, "Model", file), $"{file}: Model");
        if (model.ElementType != elementType)
            throw new InvalidDataException($"{file}: the model holds {model.ElementType} but the checkpoint says {elementType}.");
        CheckHistory(history, progress, file);
        return new CheckpointDocument(elementType, model, progress, streams, optimizer, history, callbacks);
    }

    private static CallbackState CallbackStateOf(JsonElement element, string where)
    {
        string kind = String(element, "Kind", where);
        if (string.IsNullOrWhiteSpace(kind)) throw Invalid(where, "Kind", "a non-empty string", element.GetProperty("Kind"));
        string named = $"{where} ({kind})";
        var scalars = Entries(Field(element, "Scalars", named), named, named, "Scalars", "an object of numbers", (value, name) => Number(value, named, name));
        var buffers = Entries(Field(element, "Buffers", named), named, named, "Buffers", "an object of base64 strings", (value, name) => AnyBuffer(value, named, name));
        return new CallbackState(kind, scalars, buffers);
    }

    /// <summary>Doubles from base64 of any whole number of them; the length is checked before anything is allocated.</summary>
    private static double[] AnyBuffer(JsonElement value, string where, string name)
    {
        if (value.ValueKind != JsonValueKind.String) throw Invalid(where, name, "a base64 string", value);
        if (!Base64.IsValid(value.GetString()!, out int bytes) || bytes % sizeof(double) != 0)
            throw new InvalidDataException($"{where}: '{name}' is not base64 of a whole number of doubles.");
        return Buffer(value, where, name, bytes / sizeof(double));
    }

    // A later version names itself so that the message can say which version the file has. Returns the version read.
    private static int CheckFormat(JsonElement root, string file)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            for (int i = 0; i < CheckpointDocument.ReadableFormats.Length; i++)
                if (format.ValueEquals(CheckpointDocument.ReadableFormats[i])) return i + 1;
            string text = format.GetString()!;
            if (text.StartsWith(CheckpointDocument.FormatPrefix, StringComparison.Ordinal))
                throw new InvalidDataException(
                    $"{file} is a checkpoint of format '{Cut(text)}', which this version of NeuralNets cannot read: it reads '{string.Join("' and '", CheckpointDocument.ReadableFormats)}'. Load it with the version that wrote it, or a later one.");
            if (ModelDocument.ReadableFormats.Contains(text))
                throw new InvalidDataException($"{file} is a model file ('{text}'), not a checkpoint: load it with ModelFile.Load, or resume from a file written by SaveCheckpoint.");
        }
        throw new InvalidDataException($"{file} is not a NeuralNets checkpoint (expected format '{CheckpointDocument.CurrentFormat}').");
    }

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static CheckpointProgress Progress(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where} must be an object, was {Show(element)}.");
        int epoch = Int32(element, "Epoch", where, 0);
        long step = NonNegative(element, "Step", where);
        if (step > int.MaxValue) throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: 'Step' is {step}, more steps than a run can count ({int.MaxValue})."));
        int batchSize = Int32(element, "BatchSize", where, 1);
        var shuffle = Field(element, "Shuffle", where);
        if (shuffle.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Invalid(where, "Shuffle", "true or false", shuffle);
        int seed = Int32(element, "Seed", where, int.MinValue);
        int samples = Int32(element, "SampleCount", where, 1);
        if (batchSize > samples)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: 'BatchSize' {batchSize} is above 'SampleCount' {samples}; the trainer caps it at the samples."));
        return new CheckpointProgress(epoch, step, batchSize, shuffle.GetBoolean(), seed, samples);
    }

    private static OptimizerSnapshot Optimizer(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where} must be an object, was {Show(element)}.");
        string kind = String(element, "Kind", where);
        string elementType = String(element, "ElementType", where);
        if (string.IsNullOrWhiteSpace(kind)) throw Invalid(where, "Kind", "a non-empty string", element.GetProperty("Kind"));
        if (string.IsNullOrWhiteSpace(elementType)) throw Invalid(where, "ElementType", "a non-empty string", element.GetProperty("ElementType"));
        string named = $"{where} ({kind})";
        var hyperparameters = Entries(Field(element, "Hyperparameters", where), named, named, "Hyperparameters", "an object of numbers", (value, name) => Number(value, named, name));
        var parameters = Items(element, "Parameters", "parameter", named, (item, itemWhere) =>
        {
            string name = String(item, "Name", itemWhere);
            if (string.IsNullOrWhiteSpace(name)) throw Invalid(itemWhere, "Name", "a non-empty string", item.GetProperty("Name"));
            string parameter = $"{named}: parameter '{name}'";
            int[] shape = Lengths(item, "Shape", parameter);
            long step = NonNegative(item, "Step", parameter);
            long count = ShapeSize.Count(shape, Array.MaxLength);
            if (count < 0) throw new InvalidDataException($"{parameter} has the shape {TensorMemory.ShapeText(shape)}, more values than an array can hold.");
            var buffers = Entries(Field(item, "Buffers", parameter), parameter, parameter, "Buffers", "an object of base64 strings", (value, bufferName) => Buffer(value, parameter, bufferName, count));
            var scalars = Entries(Field(item, "Scalars", parameter), parameter, parameter, "Scalars", "an object of numbers", (value, scalarName) => Number(value, parameter, scalarName));
            return new ParameterStateSnapshot(name, shape, step, buffers, scalars);
        });
        var scalars = element.TryGetProperty("Scalars", out var whole)
            ? Entries(whole, named, named, "Scalars", "an object of numbers", (value, name) => Number(value, named, name))
            : new Dictionary<string, double>();
        return new OptimizerSnapshot(kind, elementType, hyperparameters, parameters, scalars);
    }

    /// <summary>A buffer of <paramref name="count"/> doubles (<paramref name="name"/> is <c>Buffers.name</c>), from base64 whose length is checked before anything is allocated.</summary>
    private static double[] Buffer(JsonElement value, string where, string name, long count)
    {
        if (value.ValueKind != JsonValueKind.String) throw Invalid(where, name, "a base64 string", value);
        string text = value.GetString()!;
        if (!Base64.IsValid(text, out int bytes))
            throw new InvalidDataException($"{where}: '{name}' is not valid base64.");
        if (bytes != count * sizeof(double))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: '{name}' holds {bytes} bytes, expected {count * sizeof(double)} ({count} doubles)."));
        var values = new double[count];
        if (!Convert.TryFromBase64String(text, MemoryMarshal.AsBytes(values.AsSpan()), out int written) || written != bytes)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: '{name}' is not valid base64 of {bytes} bytes."));
        return values;
    }

    private static EpochReport Report(JsonElement element, string where)
    {
        int epoch = Int32(element, "Epoch", where, 1);
        int epochs = Int32(element, "Epochs", where, 1);
        double trainLoss = Number(Field(element, "TrainLoss", where), where, "TrainLoss");
        double? validationLoss = element.TryGetProperty("ValidationLoss", out var v) ? Number(v, where, "ValidationLoss") : null;
        long ticks = NonNegative(element, "ElapsedTicks", where);
        int steps = Int32(element, "Steps", where, 0);
        double rate = Number(Field(element, "LearningRate", where), where, "LearningRate");
        double? norm = element.TryGetProperty("GradientNorm", out var n) ? Number(n, where, "GradientNorm") : null;
        double? maxNorm = element.TryGetProperty("MaxGradientNorm", out var m) ? Number(m, where, "MaxGradientNorm") : null;
        return new EpochReport(epoch, epochs, trainLoss, validationLoss, TimeSpan.FromTicks(ticks))
        {
            Metrics = Metrics(element, "Metrics", where),
            ValidationMetrics = Metrics(element, "ValidationMetrics", where),
            Steps = steps,
            LearningRate = rate,
            GradientNorm = norm,
            MaxGradientNorm = maxNorm,
        };
    }

    private static MetricValues Metrics(JsonElement owner, string name, string where)
    {
        var values = Items(owner, name, "metric", $"{where}: {name}", (element, itemWhere) =>
        {
            var higher = Field(element, "HigherIsBetter", itemWhere);
            if (higher.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Invalid(itemWhere, "HigherIsBetter", "true or false", higher);
            return new MetricValue(String(element, "Name", itemWhere), Number(Field(element, "Value", itemWhere), itemWhere, "Value"), higher.GetBoolean());
        });
        try
        {
            return new MetricValues(values);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where}: '{name}': {e.Message}", e);
        }
    }

    /// <summary>The history must be the epochs 1…Epoch in order, whose steps add up to Step.</summary>
    private static void CheckHistory(EpochReport[] history, CheckpointProgress progress, string file)
    {
        if (history.Length != progress.Epoch)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: 'History' holds {history.Length} epochs but 'Progress.Epoch' is {progress.Epoch}."));
        long steps = 0;
        for (int i = 0; i < history.Length; i++)
        {
            if (history[i].Epoch != i + 1)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: epoch {i} of 'History' is numbered {history[i].Epoch}, expected {i + 1}."));
            steps += history[i].Steps;
        }
        if (steps != progress.Step)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file}: the epochs of 'History' took {steps} steps but 'Progress.Step' is {progress.Step}."));
    }

    /// <summary>A number, or one of the strings the writer uses for non-finite values.</summary>
    private static double Number(JsonElement value, string where, string name) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out double number) => number,
        JsonValueKind.String when value.ValueEquals("NaN") => double.NaN,
        JsonValueKind.String when value.ValueEquals("Infinity") => double.PositiveInfinity,
        JsonValueKind.String when value.ValueEquals("-Infinity") => double.NegativeInfinity,
        _ => throw Invalid(where, name, "a number", value),
    };

    private static int Int32(JsonElement owner, string name, string where, int minimum)
    {
        var value = Field(owner, name, where);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= minimum) return number;
        throw Invalid(where, name, minimum switch
        {
            int.MinValue => "a 32-bit integer",
            0 => "a non-negative 32-bit integer",
            _ => "a positive 32-bit integer",
        }, value);
    }

    private static long NonNegative(JsonElement owner, string name, string where)
    {
        var value = Field(owner, name, where);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) && number >= 0) return number;
        throw Invalid(where, name, "a non-negative integer", value);
    }
}
