#!/usr/bin/env bash
# Issue 17.3: the ResNet-20 / CIFAR-10 compression table, on the shared tf.keras ResNet-20.
# Every row is one or two Lathe commands; each writes its JSON into $RUNS, and a step whose output
# exists is skipped (re-run after an interruption and it goes on). One training budget for every
# trained row: $EPOCHS pass(es) over the 45,000 training images (validation = last 10% per class),
# the same budget the densely fine-tuned base gets. Reported figures: the 10,000 JPEG test images
# (from each command's own JSON) and the exact first 1,000 test images (eval --split all).
#   bash src/bench/cifar10-table.sh            # from the project folder, after mvn package
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
MODEL=$SHARED/models/bhartiansh_resnet20_cifar10_baseline.h5
DATA=$SHARED/data/cifar10
EXACT=$DATA/test-exact-first1000
RUNS=${RUNS:-../cifar-runs}
EPOCHS=${EPOCHS:-1}
[ -f "$MODEL" ] && [ -d "$DATA/train" ] || { echo "skipped: $MODEL or $DATA/train missing"; exit 0; }
mkdir -p "$RUNS"
JAR=${LATHE_JAR:-target/lathe.jar}   # a copy keeps a long run safe from rebuilds: LATHE_JAR=/elsewhere/lathe.jar
L() { java -jar "$JAR" "$@"; }
P=(--data "$DATA" --preprocess cifar10)
step() { # step NAME command... : run once, stdout (JSON) to $RUNS/NAME.json, log to NAME.log
  local name=$1; shift
  if [ -s "$RUNS/$name.json" ]; then echo "== $name: done before"; return; fi
  echo "== $name: $*"; local t0=$(date +%s)
  if "$@" > "$RUNS/$name.json.part" 2> "$RUNS/$name.log"; then
    mv "$RUNS/$name.json.part" "$RUNS/$name.json"; echo "   $(( $(date +%s) - t0 )) s"
  else echo "   FAILED ($(( $(date +%s) - t0 )) s), see $RUNS/$name.log"; tail -3 "$RUNS/$name.log"; fi
}
exact() { step "$1.exact" L eval --model "$2" --data "$EXACT" --split all --preprocess cifar10 ${3:+--plan "$3"} --json; }
test10k() { step "$1.test" L eval --model "$2" "${P[@]}" --split test ${3:+--plan "$3"} --json; }
plan() { # plan FILE SPARSITY BITS : the same setting on every layer
  printf '{"format":"lathe-plan","version":2,"defaults":{"prune":{"granularity":"element","sparsity":%s},"quant":{"bits":%s,"perChannel":true}},"layers":{}}\n' "$2" "$3" > "$1"; }

# base, untrained and densely fine-tuned with the budget
test10k base "$MODEL"; exact base "$MODEL"
step dense L finetune --model "$MODEL" "${P[@]}" --target-sparsity 0 --epochs "$EPOCHS" --out "$RUNS/dense.zip" --json
exact dense "$RUNS/dense.zip"

# 1. 8-bit per-channel post-training quantization, no training
plan "$RUNS/q8.plan.json" 0 8
test10k q8 "$MODEL" "$RUNS/q8.plan.json"; exact q8 "$MODEL" "$RUNS/q8.plan.json"

# 2. 80% element sparsity (gradual) + 4-bit per channel (QAT), budget epochs, distilled from the base
step s80q4 L finetune --model "$MODEL" "${P[@]}" --target-sparsity 0.8 --bits 4 --qat --distill \
  --schedule agp --epochs "$EPOCHS" --out "$RUNS/s80q4.zip" --json
exact s80q4 "$RUNS/s80q4.zip"

# 4. prune + quantize + entropy coding: the packed export of row 2, every artifact checked on the test split
step s80q4.compress L compress --model "$RUNS/s80q4.zip" --plan "$RUNS/s80q4.plan.json" "${P[@]}" \
  --out "$RUNS/s80q4-export" --json

# 3. channel pruning, physically smaller, budget epochs with distillation; latency measured in the record
step pc50 L prune-channels --model "$MODEL" "${P[@]}" --sparsity 0.5 --finetune-epochs "$EPOCHS" --distill \
  --out "$RUNS/pc50.zip" --json
exact pc50 "$RUNS/pc50.zip"

# 5. low-rank from the plan (energy 0.9 on every convolution), fine-tuned with the budget
step lr90 L low-rank --model "$MODEL" "${P[@]}" --energy 0.9 --write-plan "$RUNS/lr90.plan.json" --json
step lr90.ft L finetune --model "$MODEL" "${P[@]}" --plan "$RUNS/lr90.plan.json" --epochs "$EPOCHS" \
  --out "$RUNS/lr90ft.zip" --json
exact lr90ft "$RUNS/lr90ft.zip"

# 7. allocation vs uniform at 70% / 90%, no training (sweep on the validation split), with and
#    without BatchNorm calibration (512 training images, as the window does)
for s in 70 90; do
  for c in 0 512; do
    step alloc$s.bn$c L allocate --model "$MODEL" "${P[@]}" --target-sparsity 0.$s --bn-reestimate $c \
      --out "$RUNS/alloc$s.bn$c.plan.json" --json
    test10k alloc$s.bn$c "$MODEL" "$RUNS/alloc$s.bn$c.plan.json"
    plan "$RUNS/uni$s.plan.json" 0.$s 32
    step uni$s.bn$c.test L eval --model "$MODEL" "${P[@]}" --split test --plan "$RUNS/uni$s.plan.json" \
      --bn-reestimate $c --json
  done
done
# 6. large-sparse vs small-dense with the same non-zeros: the small dense net is the 50% channel-pruned
#    ResNet-20 before any training; both get the same budget (SVD_LIMIT: only that many training images, for
#    a shorter run)
step pc50raw L prune-channels --model "$MODEL" "${P[@]}" --sparsity 0.5 --out "$RUNS/pc50raw.zip" --json
step svd L sparse-vs-dense --model "$MODEL" "${P[@]}" --small "$RUNS/pc50raw.zip" --epochs "$EPOCHS" ${SVD_LIMIT:+--limit-train "$SVD_LIMIT"} --json

echo "all rows in $RUNS"
