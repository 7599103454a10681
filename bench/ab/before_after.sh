#!/usr/bin/env bash
# Before and after a change, on one machine, in alternating rounds: the same results bit for bit, the
# benchmark tables, the runs' own seconds, and the wall clock of a run that checkpoints often.
#
#   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
#   (cd /tmp/before && node --import tsx scripts/build-wasm.mjs)
#   bash bench/ab/before_after.sh /tmp/before [rounds]
#   python3 bench/ab/before_after_table.py
#
# Writes /tmp/ab (the runs' JSON, the benchmark JSON, wall.txt, same.txt).
set -u
before=$1
after=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${2:-4}
out=/tmp/ab
rm -rf $out && mkdir -p $out
cli() { (cd "$1" && shift && npx tsx src/cli/main.ts "$@"); }
# The same settings through both trees: every result and every checkpoint array must be equal.
for side in before after; do
  d=$([ $side = before ] && echo "$before" || echo "$after")
  cli "$d" train --model mlp --steps 2 --epochs 2 --limit-train 512 --limit-test 128 --out $out/$side-train --json > /dev/null 2>&1
  cli "$d" train --model mlp --neuron coarse --steps 4 --epochs 1 --limit-train 512 --limit-test 100 --out $out/$side-coarse --json > /dev/null 2>&1
  cli "$d" dsn train --layers 20 --epochs 2 --limit-train 300 --limit-test 100 --out $out/$side-dsn --json > /dev/null 2>&1
  cli "$d" control cartpole --episodes 490 --out $out/$side-cp --json > /dev/null 2>&1
  cli "$d" transfer --checkpoint $out/$side-coarse/checkpoint.snnk --json > $out/$side-transfer.json 2>/dev/null
  cli "$d" transfer --engine stepped --checkpoint $out/$side-coarse/checkpoint.snnk --json > $out/$side-stepped.json 2>/dev/null
  cli "$d" simulate --network examples/small_network.json --duration 0.5 --out $out/$side-sim --json > /dev/null
  cli "$d" tem one-layer --json > $out/$side-tem.json
done
(cd "$after" && npx tsx bench/ab/same_results.ts $out) | tee $out/same.txt
# Alternating rounds.
for r in $(seq 1 "$rounds"); do
  for side in before after; do
    d=$([ $side = before ] && echo "$before" || echo "$after")
    (cd "$d" && node --import tsx bench/main.ts --quick --json > $out/bench-$side-$r.json 2>/dev/null)
    cli "$d" train --model mlp --steps 4 --epochs 1 --limit-train 4000 --limit-test 500 --out $out/t-$side-$r --json > $out/train-$side-$r.json 2>/dev/null
    cli "$d" train --epochs 1 --limit-train 1500 --limit-test 300 --out $out/l-$side-$r --json > $out/lenet-$side-$r.json 2>/dev/null
    cli "$d" dsn train --epochs 1 --limit-train 2000 --limit-test 300 --out $out/d-$side-$r --json > $out/dsn-$side-$r.json 2>/dev/null
    cli "$d" transfer --checkpoint $out/after-coarse/checkpoint.snnk --limit-test 100 --json > $out/transfer-$side-$r.json 2>/dev/null
    cli "$d" transfer --engine stepped --checkpoint $out/after-coarse/checkpoint.snnk --limit-test 100 --json > $out/tstep-$side-$r.json 2>/dev/null
    t0=$(date +%s.%N)
    cli "$d" train --model mlp --steps 4 --epochs 2 --limit-train 4000 --limit-test 500 --checkpoint-every 5 --out $out/w-$side-$r --json > /dev/null 2>&1
    echo "$side $r $(echo "$(date +%s.%N) - $t0" | bc)" >> $out/wall.txt
  done
done
