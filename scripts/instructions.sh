#!/usr/bin/env bash
# instructions.sh prints how many machine instructions one operation of the
# CPU benchmarks executes, a figure that, unlike ns/op, does not move with
# the machine's load or clock.
#
# Usage, from anywhere in the repository:
#
#	scripts/instructions.sh                    # BenchmarkNewSpec and BenchmarkPlan/in-memory
#	scripts/instructions.sh '^BenchmarkNewSpec$' ...
#
# Each argument is a -test.bench pattern naming one benchmark. For each,
# the package's test binary (built once, into a temporary directory) runs
# under valgrind's callgrind twice, with -test.benchtime=${LOW}x and
# ${HIGH}x iterations (default 2000 and 10000), and the script prints
#
#	(instructions of the long run - instructions of the short run) / (HIGH - LOW)
#
# so that process start-up, the benchmark's setup and the test harness
# cancel out. It prints two figures: everything the process executes,
# garbage collection included, so that allocations show in it; and the
# same with the collector off (GOGC=off), the library's own work. The
# first moves by about 1% from run to run, with the timing of the
# collector's work; the second repeats to within about 0.2%. GOMAXPROCS=1
# keeps idle processors from spinning in the count; asynchronous
# preemption is off because callgrind cannot follow Go's preemption
# signals. Neither figure is comparable across Go versions or CPU
# architectures.
#
# Needs valgrind (apt-get install valgrind). Takes about three minutes; CI
# does not run it.
set -euo pipefail

LOW=${LOW:-2000}
HIGH=${HIGH:-10000}
if [ "$#" -eq 0 ]; then
	set -- '^BenchmarkNewSpec$' '^BenchmarkPlan$/^in-memory$'
fi

cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .

# instructions runs benchmark $1 for $2 iterations under callgrind, with
# GOGC=$3, and prints the number of instructions the process executed.
instructions() {
	GOGC=$3 GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
		--callgrind-out-file="$tmp/callgrind.out" \
		"$tmp/bench.test" -test.run '^$' -test.bench "$1" -test.benchtime="$2x" \
		>"$tmp/stdout" 2>"$tmp/stderr" || { cat "$tmp/stdout" "$tmp/stderr" >&2; exit 1; }
	grep -q '^Benchmark' "$tmp/stdout" || { echo "$1 matched no benchmark" >&2; exit 1; }
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/stderr"
}

# perOp prints the instructions per iteration of benchmark $1 with GOGC=$2.
perOp() {
	local low high
	low=$(instructions "$1" "$LOW" "$2")
	high=$(instructions "$1" "$HIGH" "$2")
	echo $(((high - low) / (HIGH - LOW)))
}

printf '%-32s %16s %16s\n' benchmark instructions/op 'GOGC=off'
for bench in "$@"; do
	printf '%-32s %16d %16d\n' "$bench" "$(perOp "$bench" 100)" "$(perOp "$bench" off)"
done
