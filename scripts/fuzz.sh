#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (CMake option YS_FUZZ=ON) into
# build-fuzz and runs each for SECONDS over a fresh copy of its seeds
# (tests/fuzz/seeds/<target>). Exits non-zero when any target finds a crash;
# the crashing input is saved under <build>/fuzz-artifacts/<target>/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  per target (default $FUZZ_SECONDS or 20); e.g. 3600 by hand.
#   TARGET   decode_fuzz extract_fuzz keys_fuzz page_token_fuzz (default all).
# Environment: FUZZ_BUILD_DIR (default build-fuzz), JOBS (default 2),
#   YS_FUZZ_IGNORE (default: the names in tests/fuzz/known_open.txt; set it
#   empty to check every property), FUZZ_ARGS (extra libFuzzer flags, e.g.
#   "-jobs=2 -workers=2"), FUZZ_NO_BUILD=1 (run the binaries already built).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-${FUZZ_SECONDS:-20}}"
[ $# -gt 0 ] && shift
all_targets=(decode_fuzz extract_fuzz keys_fuzz page_token_fuzz)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
build="${FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${JOBS:-2}"

if ! command -v clang++ >/dev/null || ! command -v clang >/dev/null; then
  echo "fuzz: clang/clang++ not found (scripts/install-deps.sh installs clang and libclang-rt-14-dev)" >&2
  exit 2
fi

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  echo "fuzz: configuring $build with clang (YS_FUZZ=ON)"
  mkdir -p "$build"
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DYS_FUZZ=ON -DYS_BUILD_BENCH=OFF >"$build/fuzz-configure.log" 2>&1 || {
    cat "$build/fuzz-configure.log" >&2; exit 2; }
  echo "fuzz: building ${targets[*]} (only these targets and their libraries)"
  cmake --build "$build" -j "$jobs" --target "${targets[@]}" >"$build/fuzz-build.log" 2>&1 || {
    tail -40 "$build/fuzz-build.log" >&2; exit 2; }
fi

if [ -z "${YS_FUZZ_IGNORE+set}" ]; then
  YS_FUZZ_IGNORE="$(grep -E '^[a-z0-9-]+$' tests/fuzz/known_open.txt | paste -sd, - || true)"
fi
export YS_FUZZ_IGNORE
[ -n "$YS_FUZZ_IGNORE" ] && echo "fuzz: known open (not checked): $YS_FUZZ_IGNORE"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
summary=()
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  log="$build/fuzz-logs/$t.log"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  cp tests/fuzz/seeds/"$t"/* "$corpus"/
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048
        -print_final_stats=1 -artifact_prefix="$artifacts/")
  case "$t" in
    decode_fuzz|extract_fuzz) args+=(-max_len=65536 -dict=tests/fuzz/text.dict) ;;
    keys_fuzz) args+=(-max_len=1024) ;;
    page_token_fuzz) args+=(-max_len=8192) ;;
  esac
  # shellcheck disable=SC2206
  extra=(${FUZZ_ARGS:-})
  echo "fuzz: $t for ${seconds}s (log: $log)"
  rc=0
  "$bin" "${args[@]}" "${extra[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  last="$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)"
  cov="$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")"
  corp="$(sed -nE 's/.*corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p' <<<"$last")"
  runs="$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log" | tail -1)"
  eps="$(sed -nE 's/^stat::average_exec_per_sec: +([0-9]+)/\1/p' "$log" | tail -1)"
  line="$(printf '%-16s %s  runs=%s exec/s=%s cov=%s ft=%s corpus=%s' "$t" \
    "$([ $rc -eq 0 ] && echo ok || echo "CRASH(rc=$rc)")" "${runs:-?}" "${eps:-?}" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}")"
  summary+=("$line")
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "fuzz: $t FAILED; end of its log:" >&2
    grep -avE '^#[0-9]+' "$log" | tail -40 >&2
    ls -l "$artifacts" >&2 || true
  fi
done

echo "fuzz: summary (${seconds}s per target)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} (inputs under $build/fuzz-artifacts/)" >&2
  exit 1
fi
