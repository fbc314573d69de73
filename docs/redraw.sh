#!/usr/bin/env bash
# Redraws every picture under docs/images from the current code, each with the one command docs/GALLERY.md shows.
# Usage: docs/redraw.sh            (from any directory; needs Fashion-MNIST in /usr/share/datasets/fashion-mnist)
# The pictures are written in place; `git diff --stat docs/images` then shows what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
images=docs/images

# Runs one sample with its options and says how long it took (build included).
draw() {
    local sample=$1; shift
    local start=$SECONDS
    echo "== $sample $*"
    dotnet run -c Release --project "samples/$sample" -- "$@"
    echo "== $sample: $((SECONDS - start)) s"
}

# What a CNN learns: filters, feature maps, saliency, class maximisation (the defaults: 20 000 images, 2 epochs).
draw CnnFilters --out "$images/cnn-filters"

# Decision regions of a 2-32-32-k ReLU MLP trained with Adam on every 2-D set.
draw DecisionBoundaries --data all --out "$images/decision-boundaries"

# Every optimizer on two spirals, and paths on a narrow ravine.
draw OptimizerRace --out "$images/optimizer-race"

# Class-conditional GANs: the 8x8 digits (scikit-learn's digits.csv.gz, found through NEURALNETS_SKLEARN_DATA as in
# .ci/run, or --data DIR) and Fashion-MNIST with a convolutional generator (its short default: 10 epochs, 6000 images).
draw Gan digits --out "$images/gan"
draw Gan fashion --out "$images/gan"

# FGSM and targeted attacks on an MLP and a CNN, accuracy against ε, the targeted logits, adversarial training.
draw AdversarialExamples --out "$images/adversarial"

# The playground: its browser test (tests/Playground.Tests) plays two spirals in headless chromium and saves the
# screenshot as docs/images/playground.png; it needs Debian's chromium and chromium-driver (.ci/run installs them).
if command -v chromedriver >/dev/null && command -v chromium >/dev/null; then
    start=$SECONDS
    echo "== playground (headless chromium)"
    dotnet test tests/Playground.Tests -c Release -- --filter-method "*Play_on_two_spirals*"
    echo "== playground: $((SECONDS - start)) s"
else
    echo "== playground: skipped (no chromium or chromedriver); docs/images/playground.png left as it is"
fi
echo "all pictures redrawn in $SECONDS s"
