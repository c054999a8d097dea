#!/bin/busybox sh
# /init of the benchmark VM. One boot runs one scenario, chosen on the
# kernel command line, then powers off:
#
#   kscapbench.scenario=none|empty|falco|kscap|kscap1|dumpnull|dumpfile|dumptop|dumppub
#                       |sysnull|sysfile (sysdig -w on Falco's scap.ko)
#                       (and for tests/bench/profile.sh: kscapmask, kscapnoread)
#   kscapbench.kind=lat|storm     the timed workload, or the syscall storm
#   kscapbench.rounds=N kscapbench.percent=P kscapbench.batch=MS
#                                               (lat: workload -r, -s, -d)
#   kscapbench.ops=OP,OP...                     (lat: workload -o; all if unset)
#   kscapbench.seconds=S                        (storm: workload -t)
#   kscapbench.rate=N                           (storm: workload -R, calls
#                                                per second per vCPU; 0 or
#                                                unset: flat out)
#
# The workload runs on CPU 0 and the consumer on the last CPU (the same
# one when there is only one). Nothing is printed while the workload runs:
# the serial console is slow under TCG. Lines for the host afterwards:
#
#   BENCH-BOOT <release> cpus=N clocksource=NAME
#   BENCH-TAINT-BOOT n / BENCH-TAINT-END n
#   BENCH-OUT <workload output line>
#   BENCH-CONS <consumer output line>
#   BENCH-HITS before=N after=N                 (empty probe counter)
#   BENCH-FILE bytes=N                          (dumpfile, sysfile: capture size)
#   BENCH-CPU ns=N hwm_kb=N rss_kb=N anon_kb=N
#                                the consumer's CPU time while the workload
#                                ran (schedstat), its peak RSS (VmHWM), its
#                                RSS and anonymous memory then (smaps_rollup:
#                                counted from the page tables, where VmHWM
#                                may lag behind for a process that faults
#                                little)
#   BENCH-RC workload=N consumer=N
#   BENCH-ERR <what went wrong>
#   BENCH-END
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bench:/bench/tools:/bin:/sbin:/usr/bin:/usr/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || {
	mknod -m 600 /dev/console c 5 1
	mknod -m 666 /dev/null c 1 3
	mknod -m 666 /dev/zero c 1 5
}
# /tmp holds -w FILE's capture: 3/4 of RAM (tmpfs's default is half),
# room for a storm's file (run.sh --storm-mem).
mount -t tmpfs -o size=75% tmpfs /tmp
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
hostname kscap-bench
exec </dev/console >/dev/console 2>&1

arg() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^kscapbench\.$1=//p" | tail -n 1
}
err() { echo "BENCH-ERR $*"; }

finish() {
	echo "BENCH-TAINT-END $(cat /proc/sys/kernel/tainted)"
	echo "BENCH-END"
	sync
	poweroff -f
	sleep 5
	exit 1
}

scenario=$(arg scenario)
kind=$(arg kind)
rounds=$(arg rounds)
percent=$(arg percent)
seconds=$(arg seconds)
rate=$(arg rate)
batch=$(arg batch)
ops=$(arg ops)
ncpu=$(nproc)
wcpu=0
ccpu=$((ncpu - 1))
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
echo "BENCH-BOOT $(uname -r) cpus=$ncpu clocksource=$cs scenario=$scenario kind=$kind"
echo "BENCH-TAINT-BOOT $(cat /proc/sys/kernel/tainted)"

cons_pid=
can_snap=0
# start_consumer READY CMD...: run CMD in the background on the consumer
# CPU and wait until capture has started. READY says how to tell:
#   file     the bench's consumers: given -c CPU -r FILE, they pin
#            themselves and create FILE once capture is on (and take
#            SIGUSR1 for a snapshot)
#   MODULE   scapdump, sysdig: they say nothing when ready; wait until
#            they hold MODULE's device open (its reference count), then
#            give them a second to scan /proc and enable capture
consumer_ready() {
	if [ "$1" = file ]; then
		[ -e /tmp/ready ]
	else
		[ "$(cat "/sys/module/$1/refcnt" 2>/dev/null || echo 0)" -ge 1 ]
	fi
}
start_consumer() {
	ready=$1
	shift
	if [ ! -x "$1" ]; then
		err "$1 is not in the image (tools/scapdump built? sysdig installed?)"
		return 1
	fi
	rm -f /tmp/ready
	if [ "$ready" = file ]; then
		"$@" -c "$ccpu" -r /tmp/ready >/tmp/cons.out 2>&1 &
	else
		taskset -c "$ccpu" "$@" >/tmp/cons.out 2>&1 &
	fi
	cons_pid=$!
	i=0
	until consumer_ready "$ready"; do
		if ! kill -0 "$cons_pid" 2>/dev/null || [ $i -ge 600 ]; then
			err "consumer $1 did not start: $(head -c 300 /tmp/cons.out)"
			cons_pid=
			return 1
		fi
		usleep 100000
		i=$((i + 1))
	done
	if [ "$ready" = file ]; then
		can_snap=1	# (SIGUSR1 would end scapdump and sysdig)
	else
		sleep 1
	fi
}

# The consumer's CPU time so far, in ns (schedstat: time on a CPU).
cons_cpu_ns() {
	[ -n "$cons_pid" ] && cut -d' ' -f1 "/proc/$cons_pid/schedstat" 2>/dev/null
}

# stop_consumer SIGNAL: stop it and wait (60 s at most) for its report.
cons_rc=-
stop_consumer() {
	[ -n "$cons_pid" ] || return 0
	kill -"$1" "$cons_pid"
	i=0
	while kill -0 "$cons_pid" 2>/dev/null && [ $i -lt 600 ]; do
		usleep 100000
		i=$((i + 1))
	done
	if kill -0 "$cons_pid" 2>/dev/null; then
		err "consumer still running 60 s after SIG$1: killed"
		kill -KILL "$cons_pid"
	fi
	wait "$cons_pid"
	cons_rc=$?
}

insmod_or_fail() {
	[ -f "$1" ] || { err "$1 is missing (it did not build)"; finish; }
	insmod "$@" || { err "insmod $* failed: $(dmesg | tail -n 3)"; finish; }
}

# Boot messages are not the scenario's doing.
dmesg -c >/dev/null
case $scenario in
none) ;;
empty) insmod_or_fail /bench/bench_emptyprobe.ko ;;
falco)
	insmod_or_fail /bench/scap.ko
	start_consumer file /bench/falco_consumer || finish
	;;
kscap)
	insmod_or_fail /bench/kscap.ko
	start_consumer file /bench/kscap_consumer || finish
	;;
kscapmask | kscapnoread)
	# Taking the cost apart: probes on, nothing written / nothing read.
	insmod_or_fail /bench/kscap.ko
	opt=-m
	[ "$scenario" = kscapnoread ] && opt=-n
	start_consumer file /bench/kscap_consumer $opt || finish
	;;
kscap1)
	# The module's default wakeup threshold (see kscap_consumer.c).
	insmod_or_fail /bench/kscap.ko
	start_consumer file /bench/kscap_consumer -w 1 || finish
	;;
dumpnull)
	insmod_or_fail /bench/kscap.ko
	start_consumer kscap /bench/tools/scapdump -w /dev/null || finish
	;;
dumpfile)
	insmod_or_fail /bench/kscap.ko
	start_consumer kscap /bench/tools/scapdump -w /tmp/capture.scap || finish
	;;
dumptop)
	# --top with its output a file: the table every second, as a
	# terminal would get it, without the terminal.
	insmod_or_fail /bench/kscap.ko
	start_consumer kscap /bench/tools/scapdump --top || finish
	;;
sysnull | sysfile)
	# sysdig -w on Falco's module, as a user saves a capture with it;
	# -v: its driver counts at the end.
	insmod_or_fail /bench/scap.ko
	out=/dev/null
	[ "$scenario" = sysfile ] && out=/tmp/capture.scap
	start_consumer scap /bench/tools/sysdig -v -w "$out" || finish
	;;
dumppub)
	# scapdump --publish to a JetStream server on the consumer's CPU
	insmod_or_fail /bench/kscap.ko
	taskset -c "$ccpu" /bench/tools/nats-server -js -a 127.0.0.1 -p 4222 -sd /tmp/js \
		>/tmp/nats.out 2>&1 &
	i=0
	until grep -q "Server is ready" /tmp/nats.out 2>/dev/null; do
		[ $i -lt 300 ] || { err "nats-server did not start: $(tail -c 300 /tmp/nats.out)"; finish; }
		usleep 100000
		i=$((i + 1))
	done
	start_consumer kscap /bench/tools/scapdump-nats --publish nats://127.0.0.1:4222/bench || finish
	;;
*)
	err "unknown scenario '$scenario'"
	finish
	;;
esac

hits() { cat /sys/module/bench_emptyprobe/parameters/hits 2>/dev/null || echo -; }
snap() {
	[ $can_snap = 1 ] && [ -n "$cons_pid" ] && kill -USR1 "$cons_pid"
	usleep 200000
}

h0=$(hits)
cpu0=$(cons_cpu_ns)
case $kind in
storm)
	snap
	workload storm -t "${seconds:-5}" -R "${rate:-0}" >/tmp/wl.out 2>&1
	wl_rc=$?
	snap
	;;
*)
	workload lat -c "$wcpu" -r "${rounds:-15}" -s "${percent:-100}" \
		${batch:+-d "$batch"} ${ops:+-o "$ops"} -x /bench/exit0 >/tmp/wl.out 2>&1
	wl_rc=$?
	;;
esac
h1=$(hits)
cpu1=$(cons_cpu_ns)
hwm= rss= anon=
if [ -n "$cons_pid" ]; then
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$cons_pid/status" 2>/dev/null)
	rss=$(sed -n 's/^Rss:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$cons_pid/smaps_rollup" 2>/dev/null)
	anon=$(sed -n 's/^Anonymous:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$cons_pid/smaps_rollup" 2>/dev/null)
fi

case $scenario in
dumpnull | dumpfile | dumptop | dumppub | sysnull | sysfile) stop_consumer INT ;;
*) stop_consumer TERM ;;
esac

sed 's/^/BENCH-OUT /' /tmp/wl.out
[ -f /tmp/cons.out ] && sed 's/^/BENCH-CONS /' /tmp/cons.out
[ "$scenario" = empty ] && echo "BENCH-HITS before=$h0 after=$h1"
[ -n "$cpu0" ] && [ -n "$cpu1" ] && echo "BENCH-CPU ns=$((cpu1 - cpu0)) hwm_kb=${hwm:-0} rss_kb=${rss:-0} anon_kb=${anon:-0}"
[ -f /tmp/capture.scap ] && echo "BENCH-FILE bytes=$(stat -c %s /tmp/capture.scap)"
echo "BENCH-RC workload=$wl_rc consumer=$cons_rc"
# Anything the kernel said during the run (the host judges it).
dmesg | sed 's/^/BENCH-DMESG /'
finish
