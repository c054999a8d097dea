#!/bin/bash
# scapdump --top as a person sees it: run it over a capture file inside
# tmux, send keys, and read the screen back (tmux capture-pane -e keeps
# the colours). Each check polls the screen until it shows what is
# expected or a timeout passes, so a slow machine is not a failure.
#
#   tests/top/run.sh        (SCAPDUMP=path picks the binary; default: the tree's)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scapdump=${SCAPDUMP:-$repo/tools/scapdump}
capture=$repo/tests/data/sysdig-falco.scap
sock=kscap-top-$$
failed=0
pass() { echo "PASS: top/$1"; }
fail() { echo "FAIL: top/$1: $2"; failed=1; }

if ! command -v tmux >/dev/null; then
	echo "FAIL: top/tmux: tmux missing (scripts/install-deps.sh)"
	exit 1
fi
[ -x "$scapdump" ] || { echo "FAIL: top/build: no $scapdump (make tools)"; exit 1; }
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT

screen() { tm capture-pane -p -e -t top 2>/dev/null; }
plain() { tm capture-pane -p -t top 2>/dev/null; }
# wait_for SECONDS COMMAND...: until COMMAND succeeds (it reads $scr).
wait_for() {
	local limit=$(( $(date +%s%N) + $1 * 1000000000 ))
	shift
	while :; do
		scr=$(plain)
		escr=$(screen)
		"$@" && return 0
		[ "$(date +%s%N)" -ge "$limit" ] && return 1
		sleep 0.1
	done
}
# The first table row (the line after the SYSCALL header).
first_row() { awk '/^SYSCALL/ { getline; print $1; exit }' <<<"$scr"; }
first_is() { [ "$(first_row)" = "$1" ]; }
has() { grep -q -- "$1" <<<"$scr"; }
# The line of syscall $1, with its escape sequences.
eline() { grep -a -- "$1 " <<<"$escr" | head -n 1; }

tm new-session -d -s top -x 160 -y 45 "$scapdump --top -r $capture 2>/dev/null" || {
	echo "FAIL: top/start: tmux new-session failed"; exit 1; }

# The whole file replayed: every row there, largest total time first.
if wait_for 15 has '557 events'; then
	if has '^clone ' && has '^ioctl ' && has '^fcntl ' && has 'I/O 33%' &&
	   first_is clone; then
		pass rows
	else
		fail rows "expected clone first, ioctl and fcntl rows, I/O 33%: $(head -n 8 <<<"$scr")"
	fi
else
	fail rows "the replay did not end within 15 s: $(head -n 3 <<<"$scr")"
fi

# ioctl failed 9 of 9 (red), clone takes 7.3 ms on average (yellow),
# fcntl neither.
red=$'\e[31m' yellow=$'\e[33m'
if [[ $(eline ioctl) == *"$red"* ]] && [[ $(eline clone) == *"$yellow"* ]] &&
   [[ $(eline fcntl) != *"$red"* && $(eline fcntl) != *"$yellow"* ]]; then
	pass colours
else
	fail colours "ioctl '$(eline ioctl | cat -v)', clone '$(eline clone | cat -v)'"
fi

# Sort keys: calls, then errors, then errors again (fewest first).
tm send-keys -t top c
if wait_for 5 first_is newfstatat; then pass sort-calls; else
	fail sort-calls "first row $(first_row), expected newfstatat (42 calls)"; fi
tm send-keys -t top e
if wait_for 5 first_is ioctl && [ "$(awk '/^SYSCALL/ { getline; getline; print $1; exit }' <<<"$scr")" = fcntl ]; then
	pass sort-errors
else
	fail sort-errors "first rows $(grep -A2 '^SYSCALL' <<<"$scr" | tr '\n' '|')"
fi

# Category filter: I/O only.
tm send-keys -t top f
if wait_for 5 has 'category: I/O' && ! has '^clone ' && has '^ioctl '; then
	pass category
else
	fail category "$(head -n 8 <<<"$scr")"
fi

# Detail of the selected row (ioctl): errno breakdown, failed calls.
tm send-keys -t top Enter
if wait_for 5 has 'last failed calls' && has 'ENOTTY .* 9 .*100.0%' &&
   [ "$(grep -A5 'last failed calls' <<<"$scr" | grep -c 'ioctl')" -ge 5 ]; then
	pass detail
else
	fail detail "$(sed -n 4,20p <<<"$scr")"
fi
tm send-keys -t top Escape
wait_for 5 has '^SYSCALL' || fail detail-back "still in the detail view"

tm send-keys -t top p
if wait_for 5 has 'PAUSED'; then pass pause; else fail pause "no [PAUSED] shown"; fi

tm send-keys -t top q
if wait_for 5 eval '! tm has-session -t top 2>/dev/null'; then pass quit; else
	fail quit "scapdump still running after q"; fi

# Not a terminal: a plain table (and the same rows).
out=$("$scapdump" --top -r "$capture" 2>/dev/null | cat)
if grep -q '^SYSCALL' <<<"$out" && grep -q '^ioctl .* ENOTTY:9' <<<"$out" &&
   ! grep -q $'\e' <<<"$out"; then
	pass plain
else
	fail plain "$(head -n 5 <<<"$out")"
fi
# Live, from the fake device of the unit tests (its producer thread plays
# the kernel): the screen fills, q stops the capture; piped, one table a
# second until a signal.
fake=$repo/tests/unit/build/scapdump-fake
if [ -x "$fake" ]; then
	tm new-session -d -s top -x 160 -y 45 "$fake --top 2>/dev/null"
	if wait_for 10 has '^open .* 500 .* 100 .*20.0%.*ENOENT:100'; then pass live; else
		fail live "$(head -n 6 <<<"$scr")"; fi
	tm send-keys -t top q
	if wait_for 5 eval '! tm has-session -t top 2>/dev/null'; then pass live-quit; else
		fail live-quit "capture still running after q"; fi
	out=$(timeout -s INT 2.5 "$fake" --top 2>/dev/null | cat)
	n=$(grep -c '^SYSCALL' <<<"$out")
	if [ "$n" -ge 2 ] && grep -q '^open ' <<<"$out"; then pass live-plain; else
		fail live-plain "$n tables in 2.5 s: $(head -n 3 <<<"$out")"; fi
else
	echo "SKIP: top/live: no $fake (make -C tests/unit)"
fi

"$scapdump" --top -j -r "$capture" >/dev/null 2>&1
if [ $? -eq 2 ]; then pass usage; else fail usage "--top -j was not refused"; fi
exit $failed
