#!/usr/bin/env bash
# The README's test command, run N times in a row (default 10): one summary line per run (its
# exit code, pytest's closing line, wall seconds), then the total. Exits 1 if any run failed.
# A flaky test shows as a run that failed; each run's whole output is kept in a log folder.
#
#   bash bench/ten_runs.sh          # ten runs
#   bash bench/ten_runs.sh 3        # three
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
logs=$(mktemp -d -t claimcheck-ten-runs.XXXXXX)
failed=0
started=$(date +%s)

for i in $(seq 1 "$runs"); do
    t0=$(date +%s)
    # The README's command, verbatim (the install is quick once done).
    { python3 -m pip install -e '.[test]' && python3 -m pytest; } >"$logs/run-$i.log" 2>&1
    code=$?
    seconds=$(($(date +%s) - t0))
    summary=$(grep -E '(passed|failed|error).* in [0-9.]+s' "$logs/run-$i.log" | tail -1 | sed -E 's/^=+ //; s/ =+$//')
    [ "$code" -eq 0 ] || failed=$((failed + 1))
    printf 'run %2d/%d  exit %d  %4ds  %s\n' "$i" "$runs" "$code" "$seconds" "${summary:-no summary line}"
done
total=$(($(date +%s) - started))
printf 'total: %d runs, %d green, %d failed, %ds (%ds a run on average); logs in %s\n' \
    "$runs" $((runs - failed)) "$failed" "$total" $((total / runs)) "$logs"
[ "$failed" -eq 0 ]
