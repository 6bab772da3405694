#!/usr/bin/env bash
# The engine's four floors (issue 8), each measured side by side in one run of its script:
#   1. the event path's reads against the minimum for the kind   (bench_engine.py)
#   2. the account-wide run's calls against ceil(N / page size)  (bench_engine.py)
#   3. the growth exponent of its own CPU, N = 1,000 to 5,000    (bench_engine.py)
#   4. each handler's import against a bare `import boto3`       (bench_cold_start.py)
# Exit status 1 if any floor is missed. ROUNDS sets the cold-start rounds: 101 by default (about 7
# minutes here), because a handler's ratio varies by about 0.2x from one interpreter to the next on a
# shared machine, and the median of 101 rounds is within about 0.02x of the truth, of 41 about 0.04x.
set -u
cd "$(dirname "$0")/.."
python=.venv/bin/python
status=0
echo "== engine: event-path reads, account-wide calls and CPU growth (bench/bench_engine.py)"
"$python" bench/bench_engine.py || status=1
echo
echo "== cold start: each handler's import against import boto3 (bench/bench_cold_start.py)"
"$python" bench/bench_cold_start.py --rounds "${ROUNDS:-101}" 2> >(grep -v "^WARNING: Location" >&2) || status=1
echo
if [ "$status" -eq 0 ]; then echo "every floor met"; else echo "a floor was missed (see above)"; fi
exit "$status"
