#!/usr/bin/env bash
# Packs the five packages into a local folder, then builds and runs a throwaway console app that references them from
# that folder only (as a user would consume them) and makes one call of each client against the sandbox, which the
# app starts from the TrainingApis.Sandbox package.
#
# Usage: eng/pack-smoke.sh
# Environment (all optional):
#   PACK_SMOKE_WORK   working folder (feed/, app/, packages/); a new temporary folder when unset. Kept afterwards
#                     when set, deleted when the script made it.
#   PACK_SMOKE_BUILD  where the packed projects build (dotnet --artifacts-path); default artifacts/pack-smoke/build
#                     in the repository (git-ignored), kept between runs so that the next pack is incremental.
#   PACK_SMOKE_VERSION the package version; default 0.1.0-smoke.<time>.<pid>, a version that exists nowhere else, so
#                     the app can only get it from the local folder.
# Prints "PACK-SMOKE-OK" as its last line on success.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
created_work=false
if [[ -z "${PACK_SMOKE_WORK:-}" ]]; then
  PACK_SMOKE_WORK="$(mktemp -d "${TMPDIR:-/tmp}/trainingapis-pack-smoke.XXXXXX")"
  created_work=true
fi
work="$PACK_SMOKE_WORK"
build="${PACK_SMOKE_BUILD:-$root/artifacts/pack-smoke/build}"
version="${PACK_SMOKE_VERSION:-0.1.0-smoke.$(date +%s).$$}"
feed="$work/feed"
app="$work/app"

cleanup() {
  if [[ "$created_work" == true ]]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$feed" "$app"
echo "pack-smoke: version $version, work folder $work"

# 1. Pack the five shipped projects (a solution filter, so tests and samples are not built).
cat > "$work/packages.slnf" <<EOF
{
  "solution": {
    "path": "$root/TrainingApis.sln",
    "projects": [
      "src/TrainingApis.Core/TrainingApis.Core.csproj",
      "src/Symtrain.Client/Symtrain.Client.csproj",
      "src/Senar.Client/Senar.Client.csproj",
      "src/TrainingApis.Sandbox/TrainingApis.Sandbox.csproj",
      "src/TrainingApis.WireMock/TrainingApis.WireMock.csproj"
    ]
  }
}
EOF
started=$(date +%s)
dotnet pack "$work/packages.slnf" -c Release --artifacts-path "$build" \
  -p:PackageVersion="$version" -p:PackageOutputPath="$feed/" -nologo -clp:NoSummary -v:minimal
echo "pack-smoke: packed in $(( $(date +%s) - started )) s:"
(cd "$feed" && ls -1)
for id in TrainingApis.Core Symtrain.Client Senar.Client TrainingApis.Sandbox TrainingApis.WireMock; do
  for ext in nupkg snupkg; do
    if [[ ! -f "$feed/$id.$version.$ext" ]]; then
      echo "pack-smoke: missing $id.$version.$ext" >&2
      exit 1
    fi
  done
done

# 2. A NuGet configuration of the app's own: the local folder for the TrainingApis packages (and only there, by
# package source mapping), the machine's usual sources for everything else. Packages go to a private folder, with
# the machine's package folder as a read-only fallback so that third-party packages are not downloaded again.
machine_packages="$(dotnet nuget locals global-packages --list | sed -e 's/^global-packages: *//')"
mapfile -t sources < <(dotnet nuget list source --format short | awk '$1 ~ /^E/ { print $2 }')
if [[ ${#sources[@]} -eq 0 ]]; then
  echo "pack-smoke: no enabled package source (dotnet nuget list source)" >&2
  exit 1
fi
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo '  <config>'
  echo "    <add key=\"globalPackagesFolder\" value=\"$work/packages\" />"
  echo '  </config>'
  echo '  <fallbackPackageFolders>'
  echo '    <clear />'
  echo "    <add key=\"machine\" value=\"$machine_packages\" />"
  echo '  </fallbackPackageFolders>'
  echo '  <packageSources>'
  echo '    <clear />'
  echo "    <add key=\"local\" value=\"$feed\" />"
  for i in "${!sources[@]}"; do
    echo "    <add key=\"source$i\" value=\"${sources[$i]}\" />"
  done
  echo '  </packageSources>'
  echo '  <packageSourceMapping>'
  echo '    <clear />'
  echo '    <packageSource key="local">'
  echo '      <package pattern="TrainingApis.*" />'
  echo '      <package pattern="Symtrain.Client" />'
  echo '      <package pattern="Senar.Client" />'
  echo '    </packageSource>'
  for i in "${!sources[@]}"; do
    echo "    <packageSource key=\"source$i\">"
    echo '      <package pattern="*" />'
    echo '    </packageSource>'
  done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} > "$app/nuget.config"

# 3. The app. Empty Directory.Build.* files keep any settings of folders above it (a repository) out of it.
echo '<Project />' > "$app/Directory.Build.props"
echo '<Project />' > "$app/Directory.Build.targets"
echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' > "$app/Directory.Packages.props"
cat > "$app/PackSmoke.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Symtrain.Client" Version="$version" />
    <PackageReference Include="Senar.Client" Version="$version" />
    <PackageReference Include="TrainingApis.Sandbox" Version="$version" />
  </ItemGroup>
</Project>
EOF
cat > "$app/Program.cs" <<'EOF'
using Senar.Client;
using Symtrain.Client;
using TrainingApis.Sandbox;

await using var sandbox = await TrainingSandbox.StartAsync();
Console.WriteLine($"sandbox: {sandbox.BaseAddress}");

using var symtrain = new SymtrainClient(new SymtrainClientOptions { BaseAddress = sandbox.BaseAddress, ApiKey = sandbox.SymtrainApiKey });
var token = await symtrain.Users.CreateAccessTokenAsync(sandbox.OrganizationId, sandbox.TraineeUsername);
Console.WriteLine($"symtrain: Users.CreateAccessTokenAsync -> {token}");

using var senar = new SenarClient(new SenarClientOptions { BaseAddress = sandbox.BaseAddress, Username = sandbox.SenarUsername, Password = sandbox.SenarPassword });
var users = await senar.Users.ListAsync();
Console.WriteLine($"senar: Users.ListAsync -> {users.Count} users");

foreach (var assembly in new[] { typeof(SymtrainClient), typeof(SenarClient), typeof(TrainingSandbox), typeof(TrainingApis.Core.DateRange) }.Select(t => t.Assembly))
{
    var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
    Console.WriteLine($"assembly: {assembly.GetName().Name} {version}");
}

return users.Count > 0 && !string.IsNullOrEmpty(token.Token) ? 0 : 1;
EOF

# 4. Restore (from the local folder only, for our packages), build and run.
started=$(date +%s)
dotnet restore "$app/PackSmoke.csproj" --configfile "$app/nuget.config" -nologo -v:minimal
for id in trainingapis.core symtrain.client senar.client trainingapis.sandbox; do
  if [[ ! -f "$work/packages/$id/$version/.nupkg.metadata" ]] || ! grep -q '"source": *"'"$feed" "$work/packages/$id/$version/.nupkg.metadata"; then
    echo "pack-smoke: $id $version was not restored from $feed" >&2
    exit 1
  fi
done
dotnet run --project "$app/PackSmoke.csproj" -c Release --no-restore
echo "pack-smoke: app restored, built and ran in $(( $(date +%s) - started )) s"
echo "PACK-SMOKE-OK"
