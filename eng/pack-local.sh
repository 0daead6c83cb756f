#!/usr/bin/env bash
# Packs the TrainingApis library packages into a local folder and prints the commands that add them to a project.
# The packages are not on a public feed: this is how an app outside this repository installs them.
#
# Usage: eng/pack-local.sh [folder]
#   folder   where the .nupkg/.snupkg files go; default artifacts/packages in the repository (git-ignored).
# Environment (all optional):
#   PACK_LOCAL_VERSION  the package version; default 0.1.0-local.<UTC time>, new at each run, so that a project never
#                       gets an older build of the same version from the NuGet cache. Passed to MinVer
#                       (MinVerVersionOverride), so the assemblies carry it too; a release is packed from its tag
#                       instead (docs/packaging.md).
#   PACK_LOCAL_BUILD    where the packed projects build (dotnet --artifacts-path); default artifacts/pack/build in the
#                       repository, kept between runs so that the next pack is incremental.
# The last lines printed are the commands, each line starting with two spaces (eng/pack-smoke.sh runs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:-$root/artifacts/packages}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"
build="${PACK_LOCAL_BUILD:-$root/artifacts/pack/build}"
version="${PACK_LOCAL_VERSION:-0.1.0-local.$(date -u +%Y%m%d%H%M%S)}"
packages=(TrainingApis.Core Symtrain.Client Senar.Client TrainingApis.Sandbox TrainingApis.WireMock TrainingApis.Redis)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A solution filter of the shipped projects, so that tests and samples are not built.
filter="$(mktemp -d "${TMPDIR:-/tmp}/trainingapis-pack.XXXXXX")"
trap 'rm -rf "$filter"' EXIT
cat > "$filter/packages.slnf" <<JSON
{
  "solution": {
    "path": "$root/TrainingApis.sln",
    "projects": [
      "src/TrainingApis.Core/TrainingApis.Core.csproj",
      "src/Symtrain.Client/Symtrain.Client.csproj",
      "src/Senar.Client/Senar.Client.csproj",
      "src/TrainingApis.Sandbox/TrainingApis.Sandbox.csproj",
      "src/TrainingApis.WireMock/TrainingApis.WireMock.csproj",
      "src/TrainingApis.Redis/TrainingApis.Redis.csproj"
    ]
  }
}
JSON

echo "pack-local: packing version $version into $feed"
started=$(date +%s)
dotnet pack "$filter/packages.slnf" -c Release --artifacts-path "$build" \
  -p:MinVerVersionOverride="$version" -p:PackageOutputPath="$feed/" -nologo -clp:NoSummary -v:minimal
for id in "${packages[@]}"; do
  for ext in nupkg snupkg; do
    if [[ ! -f "$feed/$id.$version.$ext" ]]; then
      echo "pack-local: missing $id.$version.$ext" >&2
      exit 1
    fi
  done
done
echo "pack-local: packed ${packages[*]} $version in $(( $(date +%s) - started )) s."

cat <<TEXT

In your project's folder, add the packages from that folder (their dependencies come from your usual sources):

  dotnet add package Symtrain.Client --version $version --source "$feed"
  dotnet add package Senar.Client --version $version --source "$feed"
  dotnet add package TrainingApis.Sandbox --version $version --source "$feed"

To keep the folder as a package source of that project (restores and updates), in a nuget.config beside it:

  dotnet new nugetconfig
  dotnet nuget add source "$feed" --name trainingapis-local --configfile nuget.config
TEXT
