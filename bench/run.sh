#!/usr/bin/env bash
# make bench: Playground against its references, side by side in one run.
#
#   - the physical reference: bare /usr/bin/python3 main.py (print("hello"))
#     started and finished as fast as possible (stdout through a pipe);
#   - playground-backend over HTTP keep-alive, every sandbox layer, with its
#     pool of pre-started sandboxes;
#   - the original design (bench/baselines/flask_eval.py: Flask +
#     subprocess.run, no sandbox);
#   - a container per run (docker run --rm --network none), when a Docker
#     engine answers;
# plus a sweep of latency against offered load (plotted with gnuplot), a
# CPU-heavy and a 1 MB-output snippet, the backend's memory, and a 10-case
# exercise graded by /py/grade beside its cases run one by one (grade.py).
#
# Writes build/bench/report.md and build/bench/latency.png.
# SECONDS_PER_RUN (default 5) and SWEEP_SECONDS (default 3) set the length.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/release/bin}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
SWEEP_SECONDS=${SWEEP_SECONDS:-3}
OUT=${OUT:-build/bench}
CORES=$(nproc)
HIGH=$((2 * CORES))
mkdir -p "$OUT"
scripts/install-deps.sh --bench

source bench/lib.sh
trap stop_started EXIT


backend_port=$(free_port)
"$BIN/playground-backend" --port "$backend_port" --bind 127.0.0.1 --queue 1000 2>"$OUT/backend.log" &
backend=$!
pids+=("$backend")
flask_port=$(free_port)
/usr/bin/python3 bench/baselines/flask_eval.py --port "$flask_port" 2>"$OUT/flask.log" &
pids+=($!)
wait_http "http://127.0.0.1:$backend_port/readyz" || { cat "$OUT/backend.log"; exit 1; }
wait_http "http://127.0.0.1:$flask_port/" 2>/dev/null || true
sleep 1
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
rss_idle=$(rss_kb "$backend")

bench() { "$BIN/playground-bench" "$@"; }
http() { bench http --port "$1" "${@:2}"; }
echo "Measuring on $CORES cores (${SECONDS_PER_RUN}s per row) ..." >&2

# Physical reference and the three services, print("hello").
# `python3 main.py` in a directory holding only main.py is what a sandbox
# runs; `python3 -I -S -c` (no site, no .pth files) is the floor below it.
script_dir=$(mktemp -d)
bare1=$(bench spawn --concurrency 1 --seconds "$SECONDS_PER_RUN" --script "$script_dir")
bareN=$(bench spawn --concurrency "$HIGH" --seconds "$SECONDS_PER_RUN" --script "$script_dir")
floorN=$(bench spawn --concurrency "$HIGH" --seconds "$SECONDS_PER_RUN")
rm -rf "$script_dir"
pg_paced=$(http "$backend_port" --rate 10 --seconds "$SECONDS_PER_RUN")
pg1=$(http "$backend_port" --concurrency 1 --seconds "$SECONDS_PER_RUN")
pgN=$(http "$backend_port" --concurrency "$HIGH" --seconds "$SECONDS_PER_RUN")
flask1=$(http "$flask_port" --concurrency 1 --seconds "$SECONDS_PER_RUN")
flaskN=$(http "$flask_port" --concurrency "$HIGH" --seconds "$SECONDS_PER_RUN")

# A container per run, the Codapi/glot model: Docker is installed and started
# when missing (root), with a Python image built offline (debootstrap).
# BENCH_DOCKER=0 skips it.
docker_row="| container per run (docker run --rm --network none) | 1 | not measured: no Docker engine could be started | | | |"
image=playground-bench/python:bookworm
if [ "${BENCH_DOCKER:-1}" = 1 ] && scripts/ensure-docker.sh &&
   scripts/build-base-image.sh "$image" python3; then
  docker run --rm --network none "$image" /usr/bin/python3 -c 'pass'  # warm the cache
  times=()
  start=$(date +%s%N)
  for _ in $(seq 20); do
    t0=$(date +%s%N)
    out=$(docker run --rm --network none "$image" /usr/bin/python3 -I -S -c 'print("hello")')
    [ "$out" = hello ] || { echo "docker run gave: $out" >&2; exit 1; }
    times+=($(( ($(date +%s%N) - t0) / 1000 )))
  done
  per_s=$(python3 -c "print(round(20 / (($(date +%s%N) - $start) / 1e9)))")
  read -r p50 p99 < <(printf '%s\n' "${times[@]}" | sort -n |
    awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR/2)+1]/1000, a[NR]/1000}')
  docker_row="| container per run (docker run --rm --network none) | 1 | $per_s | $p50 | $p99 (max of 20) | 0 |"
fi

# Off the happy path: CPU-heavy and 1 MB of output, backend against bare.
cpu_code='print(sum(i * i for i in range(3000000)))'
cpu_expect=$'8999995500000500000\n'
cpu_bare=$(bench spawn --concurrency 1 --seconds "$SECONDS_PER_RUN" --code "$cpu_code" --expect "$cpu_expect")
cpu_pg=$(http "$backend_port" --concurrency 1 --seconds "$SECONDS_PER_RUN" --code "$cpu_code" --expect "$cpu_expect")
big_code='import sys; sys.stdout.write("x" * 1000000)'
big_bare=$(bench spawn --concurrency 1 --seconds "$SECONDS_PER_RUN" --code "$big_code" --expect-size 1000000)
big_pg=$(http "$backend_port" --concurrency 1 --seconds "$SECONDS_PER_RUN" --code "$big_code" --expect-size 1000000)

# Latency against offered load (open loop).
: > "$OUT/sweep-backend.dat"
: > "$OUT/sweep-flask.dat"
for rate in 10 25 50 100 150 200 250 300; do
  r=$(http "$backend_port" --rate "$rate" --seconds "$SWEEP_SECONDS")
  echo "$rate $(field "$r" rate_per_s) $(field "$r" p50_ms) $(field "$r" p99_ms)" >> "$OUT/sweep-backend.dat"
done
for rate in 10 25 50 100 150 175 200; do
  r=$(http "$flask_port" --rate "$rate" --seconds "$SWEEP_SECONDS")
  echo "$rate $(field "$r" rate_per_s) $(field "$r" p50_ms) $(field "$r" p99_ms)" >> "$OUT/sweep-flask.dat"
done
grading=$(/usr/bin/python3 bench/grade.py --port "$backend_port" --rounds "${GRADE_ROUNDS:-30}")
rss_after=$(rss_kb "$backend")
keeper_rss=$(for k in $(pgrep -P "$backend"); do rss_kb "$k"; done | sort -n | tail -1)

gnuplot <<GNUPLOT
set terminal pngcairo size 900,560 font "sans,11"
set output "$OUT/latency.png"
set title "print(\"hello\") latency against offered load ($CORES cores, open loop)"
set xlabel "offered load (requests per second)"
set ylabel "latency (ms)"
set logscale y
set key top left
set grid
plot "$OUT/sweep-backend.dat" using 1:3 with linespoints lw 2 title "playground-backend p50", \
     "$OUT/sweep-backend.dat" using 1:4 with linespoints dt 2 title "playground-backend p99", \
     "$OUT/sweep-flask.dat" using 1:3 with linespoints lw 2 title "Flask + subprocess p50", \
     "$OUT/sweep-flask.dat" using 1:4 with linespoints dt 2 title "Flask + subprocess p99"
GNUPLOT

isolation=$(curl -s "http://127.0.0.1:$backend_port/readyz" | python3 -c \
  'import json,sys; i=json.load(sys.stdin)["isolation"]; print("every layer" if not i["missing"] else "missing: " + ", ".join(i["missing"]))')
row() {
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$(num "$3" 0 rate_per_s)" \
    "$(num "$3" 2 p50_ms)" "$(num "$3" 2 p99_ms)" "$(field "$3" errors)"
}
sweep_rows() {
  while read -r offered achieved p50 p99; do
    printf '| %s | %.0f | %.2f | %.2f |\n' "$offered" "$achieved" "$p50" "$p99"
  done < "$1"
}

report="$OUT/report.md"
{
  echo "Machine: $CORES cores, Linux $(uname -r), $(date -u +%Y-%m-%d). Sandbox: $isolation."
  echo "Command: \`make bench\` (SECONDS_PER_RUN=$SECONDS_PER_RUN, SWEEP_SECONDS=$SWEEP_SECONDS)."
  echo
  echo '| print("hello") | concurrency | per second | p50 ms | p99 ms | errors |'
  echo '|---|---|---|---|---|---|'
  row "physical reference: bare python3 main.py spawn" 1 "$bare1"
  row "physical reference: bare python3 main.py spawn" "$HIGH" "$bareN"
  row "floor: bare python3 -I -S -c spawn (no site)" "$HIGH" "$floorN"
  row "playground-backend, paced 10/s (a person pressing Run)" "open loop" "$pg_paced"
  row "playground-backend, back to back" 1 "$pg1"
  row "playground-backend, saturation" "$HIGH" "$pgN"
  row "original design: Flask + subprocess.run (no sandbox)" 1 "$flask1"
  row "original design: Flask + subprocess.run (no sandbox)" "$HIGH" "$flaskN"
  echo "$docker_row"
  echo
  echo "- p50 at concurrency 1 through HTTP: $(num "$pg_paced" 2 p50_ms) ms paced, $(num "$pg1" 2 p50_ms) ms back to back (goal: 3 ms)"
  echo "- throughput at saturation / physical reference: $(ratio "$(field "$pgN" rate_per_s)/$(field "$bareN" rate_per_s)") (goal: 0.8)"
  echo "- playground-backend / Flask original at saturation: $(ratio "$(field "$pgN" rate_per_s)/$(field "$flaskN" rate_per_s)")x the throughput"
  echo "- backend RSS: $rss_idle KB idle after start, $rss_after KB after the run (pooled interpreters and keepers are separate processes; a keeper is at most $keeper_rss KB) (goal: 50 MB idle)"
  echo
  echo '| off the happy path, concurrency 1 | per second | p50 ms | p99 ms | errors |'
  echo '|---|---|---|---|---|'
  printf '| CPU-heavy, bare spawn | %s | %s | %s | %s |\n' "$(num "$cpu_bare" 0 rate_per_s)" "$(num "$cpu_bare" 1 p50_ms)" "$(num "$cpu_bare" 1 p99_ms)" "$(field "$cpu_bare" errors)"
  printf '| CPU-heavy, playground-backend | %s | %s | %s | %s |\n' "$(num "$cpu_pg" 0 rate_per_s)" "$(num "$cpu_pg" 1 p50_ms)" "$(num "$cpu_pg" 1 p99_ms)" "$(field "$cpu_pg" errors)"
  printf '| 1 MB output, bare spawn | %s | %s | %s | %s |\n' "$(num "$big_bare" 0 rate_per_s)" "$(num "$big_bare" 1 p50_ms)" "$(num "$big_bare" 1 p99_ms)" "$(field "$big_bare" errors)"
  printf '| 1 MB output, playground-backend | %s | %s | %s | %s |\n' "$(num "$big_pg" 0 rate_per_s)" "$(num "$big_pg" 1 p50_ms)" "$(num "$big_pg" 1 p99_ms)" "$(field "$big_pg" errors)"
  echo
  echo "CPU-heavy is \`$cpu_code\`; 1 MB output is \`$big_code\`."
  echo
  echo '| offered /s | playground-backend achieved /s | p50 ms | p99 ms |'
  echo '|---|---|---|---|'
  sweep_rows "$OUT/sweep-backend.dat"
  echo
  echo '| offered /s | Flask + subprocess achieved /s | p50 ms | p99 ms |'
  echo '|---|---|---|---|'
  sweep_rows "$OUT/sweep-flask.dat"
  echo
  echo "$grading"
} | tee "$report"
echo "(written to $report and $OUT/latency.png)" >&2
