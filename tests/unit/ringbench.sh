#!/bin/sh
# Instructions per event of libkscap's ring reading, on the fake device
# (ringbench.c), for each mode and way of reading. Needs valgrind.
#   tests/unit/ringbench.sh [MODE...]
cd "$(dirname "$0")" || exit 2
set -e
L=../../userlib
srcs=$(sed -n 's/^KSCAP_LIB_SRCS := //p; s/^\t\(.*\.c.*\)$/\1/p' $L/sources.mk | tr -d '\\')
mkdir -p build
# shellcheck disable=SC2046
cc -O2 -g -std=gnu11 -D_GNU_SOURCE -I. -I$L -I../../uapi $(pkg-config --cflags libnl-genl-3.0) \
	-o build/ringbench ringbench.c fakedev.c evbuild.c $(for s in $srcs; do echo $L/$s; done) \
	$(pkg-config --libs libnl-genl-3.0)
[ $# -gt 0 ] || set -- drained small inter idle
for m in "$@"; do
	for how in raw batch next; do
		out=$(mktemp)
		valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
			--toggle-collect=consume ./build/ringbench "$m" "$how" 2>/dev/null >"$out.txt" ||
			{ echo "$m $how: failed"; cat "$out.txt"; rm -f "$out" "$out.txt"; exit 1; }
		ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
		ev=$(awk '{ print $4 }' "$out.txt")
		echo "$m $how: $(echo "$ir $ev" | awk '{ printf "%.1f", $1 / $2 }') instructions/event ($ev events)"
		rm -f "$out" "$out.txt"
	done
done
