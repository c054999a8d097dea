#!/bin/sh
# scapdump --publish reports its drops to the module: with the server
# gone, what overflows --nats-buffer is dropped, and `scapctl stats`
# shows it on the host as consumer drops while the publisher runs, and
# after it exits exactly the count its summary gives (unsent included).
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump-nats ] && [ -x $T/nats-server ] ||
	kt_skip "no NATS-enabled scapdump or nats-server in the initramfs"

kt_nats_start 4223 /tmp/jsd
# the publisher's own account, once it has stopped (within its linger)
fail() {
	kill -9 $srv 2>/dev/null
	kill -INT "$pub" 2>/dev/null
	i=0
	while kill -0 "$pub" 2>/dev/null && [ $i -lt 150 ]; do i=$((i + 1)); sleep 0.1; done
	kill -9 "$pub" 2>/dev/null
	kt_fail "$*; the publisher: $(tr '\n' ' ' </tmp/fd.pub)"
}
drops() { $T/scapctl -j stats | sed -n 's/.*"consumer_drops":\([0-9]*\).*/\1/p'; }

kt_load
$T/scapdump-nats --publish nats://127.0.0.1:4223/drops --nats-host guest \
	--nats-buffer 1048576 2>/tmp/fd.pub &
pub=$!
kt_wait_enabled 120 || fail "scapdump --publish did not start capturing"
# capture is on before the publisher connects: wait for its first
# message (the state) in the server's store
stored() {
	for f in /tmp/jsd/jetstream/*/streams/*/msgs/*.blk; do
		[ -s "$f" ] && return 0
	done
	return 1
}
n=0
until stored; do
	n=$((n + 1))
	[ $n -lt 600 ] || fail "the publisher stored nothing in a minute"
	sleep 0.1
done
# (what piled up while it connected may be dropped already)
before=$(drops)
kill -9 $srv
wait $srv 2>/dev/null
# far more than 1 MiB of events while nothing can be sent
$KT_BIN/consdrops storm 300000
n=0
until [ "$(drops)" -gt "$before" ] 2>/dev/null; do
	n=$((n + 1))
	[ $n -lt 300 ] || fail "scapctl stats shows no new consumer drops (before: $before) while the server is gone: $($T/scapctl stats | tr '\n' ' ')"
	sleep 0.1
done
during=$(drops)
kill -INT $pub
wait $pub || fail "scapdump --publish: $(cat /tmp/fd.pub)"
dropped=$(sed -n 's/.*; dropped \([0-9]*\) events.*/\1/p' /tmp/fd.pub)
after=$(drops)
[ -n "$dropped" ] && [ "$dropped" -gt 0 ] || fail "the publisher reports no drops"
[ "$after" = "$dropped" ] ||
	fail "scapctl stats: consumer drops $after after exit, the publisher dropped $dropped"
$T/scapctl stats | grep -q "^consumer drops: $dropped " ||
	fail "scapctl stats: no 'consumer drops: $dropped': $($T/scapctl stats)"
kt_unload
kt_pass "publisher dropped $dropped, scapctl stats showed $before, then $during with the server gone, $after after exit"
