#!/bin/sh
# Control over generic netlink: scapctl against a running scapdump (info,
# stats that move, a mask change that takes effect in the stream), drops
# announced when a tiny ring overflows, malformed raw requests refused
# with errors, and an unprivileged user refused.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapctl ] && [ -x $T/scapdump ] || kt_fail "scapctl/scapdump not in the initramfs"

kt_load
$T/scapctl info >/tmp/nl.info || kt_fail "scapctl info failed"
grep -q 'consumer *none' /tmp/nl.info || kt_fail "info without consumer: $(cat /tmp/nl.info)"

# A consumer streams JSON; scapctl watches it from the side.
$T/scapdump -j >/tmp/nl.json 2>/tmp/nl.dump.err &
dump=$!
kt_wait_enabled || kt_fail "capture not on 60 s after scapdump started: $(cat /tmp/nl.dump.err)"
$T/scapctl -j info >/tmp/nl.info || kt_fail "scapctl -j info failed"
grep -q '"consumer":true' /tmp/nl.info || kt_fail "consumer not seen: $(cat /tmp/nl.info)"
grep -q '"enabled":true' /tmp/nl.info || kt_fail "capture not on: $(cat /tmp/nl.info)"
h1=$($T/scapctl -j stats | sed 's/.*"total":{"hits":\([0-9]*\).*/\1/')
cat /etc/hostname /proc/version >/dev/null 2>&1
ls /kscap >/dev/null
h2=$($T/scapctl -j stats | sed 's/.*"total":{"hits":\([0-9]*\).*/\1/')
[ -n "$h1" ] && [ -n "$h2" ] && [ "$h2" -gt "$h1" ] || kt_fail "hits did not move: $h1 -> $h2"

# openat of a marker file shows up; after `mask off openat`, another does not.
cat /kscap/t/lib.sh >/dev/null
: >/tmp/marker_before; cat /tmp/marker_before
sleep 1
$T/scapctl mask off openat || kt_fail "scapctl mask off openat failed"
$T/scapctl mask | grep -q ' openat$' && kt_fail "openat still in the mask"
: >/tmp/marker_after; cat /tmp/marker_after
sleep 1
$T/scapctl snaplen 200 || kt_fail "scapctl snaplen 200 failed"
$T/scapctl -j info | grep -q '"snaplen":200' || kt_fail "snaplen not 200"
kill -INT $dump
wait $dump
grep '"type":"openat"' /tmp/nl.json | grep -q marker_before ||
	kt_fail "openat of marker_before missing from the stream"
grep '"type":"openat"' /tmp/nl.json | grep -q marker_after &&
	kt_fail "openat of marker_after captured after mask off"
$T/scapctl -j info | grep -q '"consumer":false' || kt_fail "consumer still attached after scapdump exit"

# Malformed requests on a raw socket, and an unprivileged caller.
kt_prog nlraw check
kt_prog nlraw unpriv
kt_unload

# Drops announced: a 16 KiB ring that nobody reads, under a getppid storm.
kt_load ring_size=16384
$T/scapctl watch -n 1 >/tmp/nl.watch 2>&1 &
watch=$!
sleep 1
kt_prog nlraw hold 3 &
hold=$!
sleep 1
kt_prog nlraw storm 200000
wait $hold
sleep 1
kill $watch 2>/dev/null
wait $watch 2>/dev/null
grep -q '^drops: +[1-9]' /tmp/nl.watch || kt_fail "no drop notification: $(cat /tmp/nl.watch)"
# Notifications add up to the drops, consumer after consumer.
kt_prog nlraw sessions 20000
kt_unload
kt_pass
