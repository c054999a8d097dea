#!/bin/sh
# scapdump --publish on the real module: a live capture goes to a
# nats-server (JetStream, loopback, a store in /tmp) and scapdump
# --subscribe reads back the opens of a workload, with their file names,
# their threads named and the host tagged; what was published is what
# is read, and nothing was dropped. Only opens and the events that name
# threads are published: a publisher that takes every event also takes
# its own sends and the server's writes, a loop that on the debug kernel
# grew to 380 k events (and a subscriber that crashed in 1 GiB of guest
# memory) for the 40 opens this test looks at.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump-nats ] && [ -x $T/nats-server ] ||
	kt_skip "no NATS-enabled scapdump or nats-server in the initramfs"

kt_nats_start 4222 /tmp/js
fail() { kill $srv 2>/dev/null; kill -9 "$pub" 2>/dev/null; kt_fail "$@"; }

kt_load
$T/scapdump-nats -e openat,clone,fork,vfork,execve,procexit --publish nats://127.0.0.1:4222/live --nats-host guest 2>/tmp/fl.pub &
pub=$!
kt_wait_enabled 120 || fail "scapdump --publish did not start capturing: $(cat /tmp/fl.pub)"
n=0
while [ $n -lt 40 ]; do
	n=$((n + 1))
	echo $n >/tmp/fleet-marker-$n
	cat /tmp/fleet-marker-$n >/dev/null
done
sleep 1
kill -INT $pub
wait $pub || fail "scapdump --publish: $(cat /tmp/fl.pub)"
kt_unload
echo "fleet_live: $(tail -n 1 /tmp/fl.pub)"

timeout 120 $T/scapdump-nats --subscribe nats://127.0.0.1:4222/live -j --nats-wait 10 \
	>/tmp/fl.json 2>/tmp/fl.sub ||
	fail "scapdump --subscribe: $(cat /tmp/fl.sub); the publisher: $(tail -n 3 /tmp/fl.pub); $(dmesg | grep -i -E 'segfault|oom|killed' | tail -n 3)"
kill $srv
wait $srv

sent=$(sed -n 's/^scapdump: published \([0-9]*\) events.*/\1/p' /tmp/fl.pub)
dropped=$(sed -n 's/.*; dropped \([0-9]*\) events.*/\1/p' /tmp/fl.pub)
got=$(wc -l </tmp/fl.json)
echo "fleet_live: read back $got"
[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "no publish summary: $(cat /tmp/fl.pub)"
[ "$dropped" = 0 ] || fail "dropped $dropped: $(cat /tmp/fl.pub)"
[ "$got" = "$sent" ] || fail "published $sent events, read back $got: $(tail -n 3 /tmp/fl.sub)"
grep -v -q '"host":"guest"' /tmp/fl.json && fail "an event without its host: $(grep -v '"host":"guest"' /tmp/fl.json | head -n 1)"
grep 'fleet-marker-' /tmp/fl.json >/tmp/fl.markers
n=0
while [ $n -lt 40 ]; do
	n=$((n + 1))
	line=$(grep '"dir":"<","type":"openat"' /tmp/fl.markers | grep "\"name\":\"/tmp/fleet-marker-$n\"" |
		grep '"flags":"O_RDONLY' | grep -v '"comm":null' | grep -v '"pid":null')
	# busybox runs its applets as /proc/self/exe: comm "exe"
	[ "$(echo "$line" | grep -c .)" = 1 ] ||
		fail "marker $n: $(echo "$line" | grep -c .) read-only openat exits by a named thread: $(grep "fleet-marker-$n\"" /tmp/fl.markers | head -n 2)"
done
kt_pass "$sent events published and read back ($(sed -n 's/^scapdump: \([0-9]* events captured, [0-9]* dropped\).*/\1/p' /tmp/fl.pub) by the module)"
