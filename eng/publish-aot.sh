#!/usr/bin/env bash
# Publishes samples/AotSmoke with Native AOT for linux-x64 and runs it against a sandbox started as a separate
# process (the sandbox uses Bogus, which is not trim-safe, so it is not compiled into the AOT binary).
# Fails on any trim/AOT warning (IL2xxx/IL3xxx), a failed publish, or a failed run.
#
# Installs what Native AOT needs when it is missing: a clang compiler/linker and the zlib headers (apt-get, as root
# or through sudo). The ILCompiler and runtime packs come from the machine's NuGet sources on restore.
#
# Usage: eng/publish-aot.sh            Output: artifacts/aot/AotSmoke/AotSmoke (git-ignored), log in artifacts/aot/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/aot"
rid="linux-x64"
mkdir -p "$out"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# 1. Native prerequisites.
find_clang() {
  if command -v clang >/dev/null 2>&1; then
    echo clang
    return
  fi
  # A versioned clang (Debian installs clang-14 and the like without the plain name).
  compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true
}
has_zlib() {
  [[ -f /usr/include/zlib.h ]] || { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists zlib; }
}
install_packages() {
  local apt=(apt-get)
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "publish-aot: need root or sudo to install $*" >&2; exit 1; }
    apt=(sudo apt-get)
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "publish-aot: install $* (no apt-get here)" >&2; exit 1; }
  echo "publish-aot: installing $*"
  "${apt[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "$@"
}
missing=()
clang="$(find_clang)"
[[ -n "$clang" ]] || missing+=(clang)
has_zlib || missing+=(zlib1g-dev)
if [[ ${#missing[@]} -gt 0 ]]; then
  install_packages "${missing[@]}"
  clang="$(find_clang)"
fi
echo "publish-aot: compiler/linker $clang ($(command -v "$clang"))"

# 2. Publish, counting trim/AOT warnings.
log="$out/publish.log"
started=$(date +%s)
set +e
dotnet publish "$root/samples/AotSmoke/AotSmoke.csproj" -c Release -r "$rid" -o "$out/AotSmoke" \
  -p:CppCompilerAndLinker="$clang" -nologo 2>&1 | tee "$log"
publish_status=${PIPESTATUS[0]}
set -e
publish_seconds=$(( $(date +%s) - started ))
warnings=$( { grep -oE 'warning IL[23][0-9]{3}' "$log" || true; } | wc -l | tr -d ' ')
if [[ "$publish_status" != 0 ]]; then
  echo "publish-aot: publish failed (exit $publish_status), $warnings trim/AOT warning(s); see $log" >&2
  exit 1
fi
if [[ "$warnings" != 0 ]]; then
  echo "publish-aot: $warnings trim/AOT warning(s):" >&2
  grep -E 'warning IL[23][0-9]{3}' "$log" | sort -u >&2
  exit 1
fi
binary="$out/AotSmoke/AotSmoke"
size=$(stat -c %s "$binary")

# 3. A sandbox of its own, as a separate process on a free port; stopped on exit.
sandbox_log="$out/sandbox.log"
setsid dotnet run --project "$root/src/TrainingApis.Sandbox/TrainingApis.Sandbox.csproj" -- --port 0 > "$sandbox_log" 2>&1 &
sandbox_pid=$!
stop_sandbox() {
  kill -TERM -- "-$sandbox_pid" 2>/dev/null || true
  wait "$sandbox_pid" 2>/dev/null || true
}
trap stop_sandbox EXIT
for _ in $(seq 1 240); do
  grep -q '^TrainingApis.Sandbox listening on ' "$sandbox_log" && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$sandbox_log" >&2; echo "publish-aot: the sandbox did not start" >&2; exit 1; }
  sleep 0.5
done
field() { sed -n "s/^ *$1 *//p" "$sandbox_log" | head -1 | tr -d '\r'; }
SANDBOX_URL="$(sed -n 's/^TrainingApis.Sandbox listening on //p' "$sandbox_log" | head -1 | tr -d '\r')"
[[ -n "$SANDBOX_URL" ]] || { cat "$sandbox_log" >&2; echo "publish-aot: no sandbox address" >&2; exit 1; }
export SANDBOX_URL
SYMTRAIN_API_KEY="$(field 'API key')"
SYMTRAIN_ORGANIZATION_ID="$(field organizationId)"
SYMTRAIN_USER_ID="$(field 'trainee (userId)')"
SENAR_USERNAME="$(field username)"
SENAR_PASSWORD="$(field password)"
export SYMTRAIN_API_KEY SYMTRAIN_ORGANIZATION_ID SYMTRAIN_USER_ID SENAR_USERNAME SENAR_PASSWORD

# 4. Run the native binary.
"$binary"
echo "publish-aot: published in ${publish_seconds} s, binary $(( size / 1024 / 1024 )) MB ($size bytes), $warnings trim/AOT warnings; run OK"
