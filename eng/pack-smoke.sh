#!/usr/bin/env bash
# Packs the library packages into a local folder with eng/pack-local.sh, then adds them to a throwaway console app with
# the commands that script prints (as a user would), and runs the app: one call of each client against the sandbox,
# which the app starts from the TrainingApis.Sandbox package.
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

# 1. Pack the shipped libraries with eng/pack-local.sh, the script a user runs; keep what it prints.
PACK_LOCAL_VERSION="$version" PACK_LOCAL_BUILD="$build" bash "$root/eng/pack-local.sh" "$feed" | tee "$work/pack-local.out"
(cd "$feed" && ls -1)
mapfile -t add_commands < <(grep -E '^  dotnet add package ' "$work/pack-local.out" | sed -e 's/^  //')
mapfile -t config_commands < <(grep -E '^  dotnet (new nugetconfig|nuget add source )' "$work/pack-local.out" | sed -e 's/^  //')
if [[ ${#add_commands[@]} -ne 3 || ${#config_commands[@]} -ne 2 ]]; then
  echo "pack-smoke: pack-local.sh printed ${#add_commands[@]} 'dotnet add package' and ${#config_commands[@]} nuget.config commands, expected 3 and 2" >&2
  exit 1
fi

# 2. A NuGet configuration of the app's own, as a user's machine has: the machine's usual sources only, not the local
# folder (the printed commands bring that). Packages go to a private folder, with the machine's package folder as a
# read-only fallback so that third-party packages are not downloaded again; ours can only come from the local folder.
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
  for i in "${!sources[@]}"; do
    echo "    <add key=\"source$i\" value=\"${sources[$i]}\" />"
  done
  echo '  </packageSources>'
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

# 4. Add the packages with the commands pack-local.sh printed, then restore, build and run.
started=$(date +%s)
for command in "${add_commands[@]}"; do
  echo "pack-smoke: $command"
  (cd "$app" && eval "$command")
done
dotnet restore "$app/PackSmoke.csproj" --configfile "$app/nuget.config" -nologo -v:minimal
for id in trainingapis.core symtrain.client senar.client trainingapis.sandbox; do
  if [[ ! -f "$work/packages/$id/$version/.nupkg.metadata" ]] || ! grep -q '"source": *"'"$feed" "$work/packages/$id/$version/.nupkg.metadata"; then
    echo "pack-smoke: $id $version was not restored from $feed" >&2
    exit 1
  fi
done
dotnet run --project "$app/PackSmoke.csproj" -c Release --no-restore
echo "pack-smoke: app restored, built and ran in $(( $(date +%s) - started )) s"

# 5. The other printed route: a nuget.config beside a project that keeps the folder as a source.
mkdir -p "$work/config"
for command in "${config_commands[@]}"; do
  echo "pack-smoke: $command"
  (cd "$work/config" && eval "$command" >/dev/null)
done
if ! dotnet nuget list source --configfile "$work/config/nuget.config" --format short | grep -qF "$feed"; then
  echo "pack-smoke: the printed nuget.config commands do not make $feed a package source" >&2
  exit 1
fi
echo "pack-smoke: the printed nuget.config commands make $feed a package source"
echo "PACK-SMOKE-OK"
