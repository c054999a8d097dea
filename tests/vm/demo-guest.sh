#!/bin/sh
# The demo, inside the VM (run by /init with kscapvm.mode=demo): load
# kscap.ko, stream what it captures with scapdump while a small workload
# runs, then stop. Prints KSCAP-DEMO-OK when everything worked.
say() { echo "=== demo: $*"; }
fail() { echo "KSCAP-DEMO-FAIL $*"; rmmod kscap 2>/dev/null; exit 1; }

workload() {
	say "workload: ls /kscap"
	ls /kscap
	say "workload: cat /etc/passwd"
	cat /etc/passwd
	say "workload: TCP and UDP on 127.0.0.1"
	/kscap/bin/netpair
	say "workload: fork + exec"
	sh -c '/bin/true && echo "child $$ ran /bin/true"'
}

insmod /kscap/kscap.ko || fail "insmod kscap.ko"
say "kscap.ko loaded: $(dmesg | grep 'kscap:' | tail -n 1 | sed 's/^\[[^]]*\] //')"
command -v scapdump >/dev/null || fail "no scapdump in the initramfs"

# The workload waits in a subshell until scapdump is ready. scapdump
# follows that subshell and its descendants only: unfiltered, it would
# also capture its own writes to the console, and print those, and so on.
mkfifo /tmp/go
(read -r _ </tmp/go; workload) &
wl=$!

# >>> scapdump invocation -------------------------------------------------
scapdump --pid "$wl" --follow &
# <<< ----------------------------------------------------------------------
dump=$!
sleep 2
kill -0 $dump 2>/dev/null || fail "scapdump exited early"
echo go >/tmp/go
wait $wl || fail "the workload failed"
sleep 2

# SIGINT, as ^C would; a background job of a script starts with SIGINT
# ignored, so a tool that does not catch it gets SIGTERM after 5 s.
kill -INT $dump
i=0
while kill -0 $dump 2>/dev/null && [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
kill -0 $dump 2>/dev/null && { say "scapdump ignored SIGINT: SIGTERM"; kill -TERM $dump; }
wait $dump
rc=$?
say "scapdump exited with status $rc"
# 130/143: killed by SIGINT/SIGTERM as the shell reports it.
[ $rc -eq 0 ] || [ $rc -eq 130 ] || [ $rc -eq 143 ] || fail "scapdump exit status $rc"
rmmod kscap || fail "rmmod kscap"
echo "KSCAP-DEMO-OK"
