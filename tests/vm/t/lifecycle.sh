#!/bin/sh
# Lifecycle under load, on 4 vCPUs: insmod/rmmod with a capture each time
# while every CPU makes syscalls; capture switched on and off in a tight
# loop, the mask changed at random, and CPUs taken offline and online,
# all while events flow (progs/lifecycle.c checks the accounting after
# each). It switches tracepoints under load: single-threaded TCG.
# KSCAP_LIFECYCLE_SCALE (kernel command line) multiplies the rounds.
# kscapvm-boot: smp=4 tcg=single
. /kscap/t/lib.sh
scale=${KSCAP_LIFECYCLE_SCALE:-1}

t0=$(date +%s)
lifecycle load &
load=$!
trap 'kill $load 2>/dev/null' EXIT
i=0
while [ $i -lt $((10 * scale)) ]; do
	kt_load ring_size=65536
	kt_prog lifecycle once
	kt_unload
	i=$((i + 1))
done
kill $load
wait $load 2>/dev/null
echo "lifecycle: $i insmod/capture/rmmod cycles under load in $(($(date +%s) - t0)) s"

kt_load ring_size=262144
for step in "toggle $((20 * scale))" "mask $((1000 * scale))" "hotplug $((6 * scale))"; do
	t0=$(date +%s)
	kt_prog lifecycle $step
	echo "lifecycle: $step took $(($(date +%s) - t0)) s"
done
kt_unload
kt_pass
