#!/usr/bin/env bash
# Proves the coursework template end to end, as a course would use it: pack NeuralNets, NeuralNets.Testing and the
# template into a local feed, `dotnet new neuralnets-coursework`, and check that every test of the new solution fails
# while the stubs stand, then that every one passes once the reference solutions (tests/NeuralNets.Testing.Tests/
# Coursework/Solutions) replace them. Needs nuget.org (or a mirror in the user's NuGet config) for xunit and FluentAssertions.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected_tests=11

# Our packages restore into a cache of their own (with the user's cache as a read-only fallback), so a NeuralNets
# of the same version left in the user's cache by an older build can never stand in for the one packed here.
export NUGET_PACKAGES="$work/packages"
feed="$work/feed"
for project in src/NeuralNets src/NeuralNets.Testing templates/NeuralNets.Templates.csproj; do
  dotnet pack "$root/$project" -c Release -o "$feed" --nologo -v quiet
done

hive="$work/hive"
dotnet new install "$feed"/NeuralNets.Templates.*.nupkg --debug:custom-hive "$hive" > /dev/null
dotnet new neuralnets-coursework -n Course -o "$work/Course" --debug:custom-hive "$hive" > /dev/null
cat > "$work/Course/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="user" value="${HOME}/.nuget/packages" />
  </fallbackPackageFolders>
</configuration>
CONFIG

# Runs the new solution's tests; prints "succeeded failed" from the test platform's summary.
run_tests() {
  local output
  output=$(cd "$work/Course" && dotnet test tests/Course.Tests -c Release 2>&1 || true)
  local succeeded failed
  succeeded=$(grep -E '^\s*succeeded:' <<< "$output" | grep -oE '[0-9]+' | tail -1 || true)
  failed=$(grep -E '^\s*failed:' <<< "$output" | grep -oE '[0-9]+' | tail -1 || true)
  if [[ -z "$succeeded" || -z "$failed" ]]; then
    echo "$output" >&2
    echo "coursework-template: the tests did not run (see above)" >&2
    exit 1
  fi
  echo "$succeeded $failed"
}

read -r succeeded failed < <(run_tests)
if [[ "$succeeded" != 0 || "$failed" != "$expected_tests" ]]; then
  echo "coursework-template: with the stubs, expected all $expected_tests tests to fail, got $succeeded passing and $failed failing" >&2
  exit 1
fi
echo "stubs: all $failed tests fail"

for solution in "$root"/tests/NeuralNets.Testing.Tests/Coursework/Solutions/*.cs; do
  sed 's/^namespace Coursework;/namespace Course;/' "$solution" > "$work/Course/src/Course/$(basename "$solution")"
done
read -r succeeded failed < <(run_tests)
if [[ "$succeeded" != "$expected_tests" || "$failed" != 0 ]]; then
  echo "coursework-template: with the reference solutions, expected all $expected_tests tests to pass, got $succeeded passing and $failed failing" >&2
  exit 1
fi
echo "reference solutions: all $succeeded tests pass"
