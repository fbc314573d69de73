#!/usr/bin/env bash
# Tests the NeuralNets package as a user gets it: packs it (with its symbols) into a local feed under a version no
# cache can hold, checks that neither the assembly nor its PDB names the builder's folder, that the symbols carry
# SourceLink and the package its own README, then builds tests/PackageConsumer against the feed alone (its
# dependencies from the user's package cache, which the repository's own restore has filled) and runs it, then
# publishes it with Native AOT and runs that: it trains XOR, saves and loads it, and exits non-zero unless all holds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

feed="$work/feed"
# A suffix of its own, and a package folder of its own: a package left in the user's cache by an earlier pack
# can never stand in for this one.
suffix="consumer.$(date -u +%Y%m%d%H%M%S)"
export NUGET_PACKAGES="$work/packages"
dotnet pack "$root/src/NeuralNets" -c Release -o "$feed" --version-suffix "$suffix" --nologo -v quiet
nupkg=$(ls "$feed"/NeuralNets.*.nupkg | grep -v '\.snupkg$')
version=$(basename "$nupkg" .nupkg); version=${version#NeuralNets.}
[ -f "$feed/NeuralNets.$version.snupkg" ] || { echo "package-consumer: no symbol package beside $nupkg" >&2; exit 1; }

unpacked="$work/unpacked"
mkdir -p "$unpacked/nupkg" "$unpacked/snupkg"
(cd "$unpacked/nupkg" && unzip -q "$nupkg")
(cd "$unpacked/snupkg" && unzip -q "$feed/NeuralNets.$version.snupkg")
if grep -rlF "$root" "$unpacked" >/dev/null; then
  echo "package-consumer: the package bakes in the builder's path $root:" >&2
  grep -rlF "$root" "$unpacked" >&2
  exit 1
fi
grep -qaF 'raw.githubusercontent.com' "$unpacked/snupkg/lib/net10.0/NeuralNets.pdb" || { echo "package-consumer: the PDB has no SourceLink" >&2; exit 1; }
grep -qF 'dotnet add package NeuralNets' "$unpacked/nupkg/README.md" || { echo "package-consumer: the package README has no install line" >&2; exit 1; }
echo "package: $(basename "$nupkg") with symbols; no builder path; SourceLink; README with an install line"

consumer="$work/consumer"
cp -r "$root/tests/PackageConsumer" "$consumer"
rm -rf "$consumer/bin" "$consumer/obj"
cat > "$consumer/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="user" value="${HOME}/.nuget/packages" />
  </fallbackPackageFolders>
</configuration>
CONFIG
dotnet run --project "$consumer" -c Release -p:NeuralNetsVersion="$version" --nologo
# The same app published with Native AOT, as a user who wants no JIT does: the package must add no trimming or AOT
# warning (the consumer's warnings are errors), and the native program must learn XOR and save and load alike.
dotnet publish "$consumer" -c Release -r linux-x64 -p:PublishAot=true -p:NeuralNetsVersion="$version" --nologo -o "$work/aot" -v quiet
"$work/aot/PackageConsumer"
