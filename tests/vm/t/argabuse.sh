#!/bin/sh
# Hostile system call arguments while capturing: events stay well formed
# and are cut only at the documented caps (progs/argabuse.c, its own strict
# parser), then the same calls with scapdump as the consumer: libkscap's
# parser (kscap_evt_parse) must take every event, live and from the file.
# KSCAP_ARGABUSE_SCALE (kernel command line) multiplies the rounds.
. /kscap/t/lib.sh
T=/kscap/tools
kt_load
kt_prog argabuse "${KSCAP_ARGABUSE_SCALE:-1}"

[ -x $T/scapdump ] || kt_fail "scapdump not in the initramfs"
$T/scapdump -w /tmp/argabuse.scap 2>/tmp/argabuse.dump.err &
dump=$!
sleep 1
kt_prog argabuse --workload "${KSCAP_ARGABUSE_SCALE:-1}"
sleep 1
kill -INT $dump
wait $dump || kt_fail "scapdump -w: exit $?: $(cat /tmp/argabuse.dump.err)"
cat /tmp/argabuse.dump.err
grep -q corrupt /tmp/argabuse.dump.err && kt_fail "scapdump: $(grep corrupt /tmp/argabuse.dump.err)"
$T/scapdump -r /tmp/argabuse.scap -j >/tmp/argabuse.json 2>/tmp/argabuse.read.err ||
	kt_fail "scapdump -r: $(cat /tmp/argabuse.read.err)"
[ -s /tmp/argabuse.read.err ] && kt_fail "scapdump -r: $(cat /tmp/argabuse.read.err)"
n=$(wc -l </tmp/argabuse.json)
[ "$n" -gt 10000 ] || kt_fail "scapdump -r: only $n events read back"
echo "argabuse: libkscap read back $n events of the hostile calls"
rm -f /tmp/argabuse.scap /tmp/argabuse.json
kt_unload
kt_pass
