# Shared by the benchmark scripts (sourced): measure and stats over $out/runs, $runs runs each.
# The caller sets out, runs and bench (the name its messages start with).
# measure LABEL COMMAND...: runs COMMAND $runs times under /usr/bin/time -v; one line
# "wall_s rss_kB cpu_s" (cpu = user + system, all threads) per run in $out/runs/LABEL.txt. The last run's outputs stay for the agreement check.
measure() {
  local label="$1"
  shift
  : >"$out/runs/$label.txt"
  for ((i = 1; i <= runs; i++)); do
    /usr/bin/time -v -o "$out/runs/$label.time" "$@" >"$out/runs/$label.log" 2>&1 || {
      echo "$bench: $label failed, see $out/runs/$label.log" >&2
      exit 1
    }
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s}' "$out/runs/$label.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/runs/$label.time")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$out/runs/$label.time")
    echo "$wall $rss $cpu" >>"$out/runs/$label.txt"
    echo "  $label run $i: ${wall} s wall, ${cpu} s cpu, $((rss / 1024)) MB"
  done
}

# stats LABEL: "median min max median_rss_MB median_cpu" of a measured label.
stats() {
  local w r c
  w=$(cut -d' ' -f1 "$out/runs/$1.txt" | sort -g | awk '{v[NR] = $1} END {
    printf "%.2f %.2f %.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }')
  r=$(cut -d' ' -f2 "$out/runs/$1.txt" | sort -g | awk '{v[NR] = $1} END {
    printf "%.0f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1024 }')
  c=$(cut -d' ' -f3 "$out/runs/$1.txt" | sort -g | awk '{v[NR] = $1} END {
    printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  echo "$w $r $c"
}
