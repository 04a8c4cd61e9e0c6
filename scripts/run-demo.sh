#!/usr/bin/env bash
# Starts yingshangd in the background on LISTEN with its store in DATA_DIR,
# ingests data/samples/ and prints how to query. Used by `make run`.
set -euo pipefail
build=${1:-build} listen=${2:-127.0.0.1:50051} data=${3:-data/db} run=${4:-data/run}
mkdir -p "$data" "$run"
ysctl="$build/client/ysctl"

if [ -f "$run/yingshangd.pid" ] && kill -0 "$(cat "$run/yingshangd.pid")" 2>/dev/null; then
  echo "yingshangd already running (pid $(cat "$run/yingshangd.pid")); restarting it"
  kill "$(cat "$run/yingshangd.pid")"
  while kill -0 "$(cat "$run/yingshangd.pid")" 2>/dev/null; do sleep 0.2; done
fi

"$build/service/yingshangd" --listen="$listen" --data_dir="$data" >"$run/yingshangd.log" 2>&1 &
echo $! >"$run/yingshangd.pid"
for _ in $(seq 1 100); do
  if "$ysctl" --server="$listen" stats >/dev/null 2>&1; then break; fi
  if ! kill -0 "$(cat "$run/yingshangd.pid")" 2>/dev/null; then
    echo "yingshangd failed to start; its log:" >&2; cat "$run/yingshangd.log" >&2; exit 1
  fi
  sleep 0.1
done
echo "yingshangd is running on $listen (pid $(cat "$run/yingshangd.pid"), store in $data, log in $run/yingshangd.log)"
echo
"$ysctl" --server="$listen" ingest data/samples || true
cat <<TXT

Try:
  $ysctl --server=$listen docs list
  $ysctl --server=$listen indicators list --region 42 --from 2023-01-01 --to 2024-12-31
  $ysctl --server=$listen measures list --region 4208
  $ysctl --server=$listen search 免申即享
  $ysctl --server=$listen watch --from-seq 1 --format=json
  $ysctl --server=$listen stats
Stop it with: make stop
TXT
