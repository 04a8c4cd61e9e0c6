#!/usr/bin/env bash
# Runs every benchmark of issue 5 on this machine and prints one table
# (see bench/README.md):
#
#   bench/run.sh BUILD_DIR [--quick] [--no-peers] [ys_perf flags...]
#
# Builds ys_perf and yingshangd in BUILD_DIR, installs the peers if missing
# (Debian: postgresql, libpq-dev, etcd-server), starts a private PostgreSQL
# cluster and a private etcd on loopback ports in a temporary directory,
# runs bench/ys_perf, and stops and removes everything it started on exit.
set -euo pipefail

BUILD_DIR=${1:?usage: bench/run.sh BUILD_DIR [--quick] [--no-peers] [ys_perf flags]}
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=1
ARGS=()
for a in "$@"; do
  case "$a" in
    --no-peers) PEERS=0 ;;
    *) ARGS+=("$a") ;;
  esac
done

say() { echo "[run.sh] $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

# --- packages ---------------------------------------------------------------
missing=()
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
if [ "$PEERS" = 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v etcd >/dev/null || missing+=(etcd-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq >/dev/null || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || say "could not install ${missing[*]}"
fi

# --- build ------------------------------------------------------------------
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if ! cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target ys_perf yingshangd >"$BUILD_DIR/bench_build.log" 2>&1; then
  if [ -x "$BUILD_DIR/bench/ys_perf" ] && [ -x "$BUILD_DIR/service/yingshangd" ]; then
    say "build failed (see $BUILD_DIR/bench_build.log); using the binaries built before"
  else
    cat "$BUILD_DIR/bench_build.log" >&2
    exit 1
  fi
fi

# --- scratch directory and cleanup --------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ys_bench.XXXXXX")
chmod 755 "$WORK"
PG_BIN=""
PG_DATA="$WORK/pg/data"
PG_AS=()
ETCD_PID=""
cleanup() {
  set +e
  if [ -n "$PG_BIN" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
  fi
  if [ -n "$ETCD_PID" ]; then
    kill "$ETCD_PID" 2>/dev/null
    wait "$ETCD_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  return 1
}

# --- PostgreSQL: a private cluster on a loopback port -----------------------
PG_CONN=""
if [ "$PEERS" = 1 ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  mkdir -p "$WORK/pg"
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: run it as the package's user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$WORK/pg"
    PG_AS=(runuser -u postgres --)
  fi
  PG_PORT=$(free_port)
  if "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U ys --auth=trust \
        --encoding=UTF8 --locale=C >"$WORK/pg/initdb.log" 2>&1 &&
     "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/server.log" -w \
        -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c effective_cache_size=4GB -c max_wal_size=4GB" \
        start >/dev/null 2>&1; then
    PG_CONN="host=127.0.0.1 port=$PG_PORT user=ys dbname=postgres"
    say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
  else
    say "PostgreSQL did not start (see below); its rows are skipped"
    tail -5 "$WORK/pg/initdb.log" "$WORK/pg/server.log" 2>/dev/null >&2 || true
  fi
fi

# --- etcd: a private single-member cluster on loopback ports ----------------
ETCD=""
if [ "$PEERS" = 1 ] && command -v etcd >/dev/null; then
  EC=$(free_port); EP=$(free_port)
  etcd --name ysbench --data-dir "$WORK/etcd" \
    --listen-client-urls "http://127.0.0.1:$EC" --advertise-client-urls "http://127.0.0.1:$EC" \
    --listen-peer-urls "http://127.0.0.1:$EP" --initial-advertise-peer-urls "http://127.0.0.1:$EP" \
    --initial-cluster "ysbench=http://127.0.0.1:$EP" --quota-backend-bytes=8589934592 \
    >"$WORK/etcd.log" 2>&1 &
  ETCD_PID=$!
  for _ in $(seq 1 100); do
    if ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$EC" endpoint health >/dev/null 2>&1; then
      ETCD="127.0.0.1:$EC"; break
    fi
    sleep 0.1
  done
  if [ -n "$ETCD" ]; then say "etcd $(etcd --version | awk 'NR==1{print $3}') on $ETCD"; else say "etcd did not start; its rows are skipped"; fi
fi

# --- run ------------------------------------------------------------------------
echo "yingshang benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD_DIR/bench/ys_perf" --yingshangd="$BUILD_DIR/service/yingshangd" \
  --workdir="$WORK/ys" --pg="$PG_CONN" --etcd="$ETCD" "${ARGS[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
