# shellcheck shell=sh
# Sourced by every test script in the VM (busybox sh). A test prints
# exactly one result line through kt_pass/kt_fail/kt_skip, which exit.

KT_NAME=$(basename "$0" .sh)
KT_KO=/kscap/kscap.ko
KT_BIN=/kscap/bin

kt_result() {
	status=$1
	shift
	echo "KSCAP-RESULT $status $KT_NAME${*:+ $*}"
}
kt_pass() { kt_result PASS "$@"; exit 0; }
kt_fail() {
	kt_result FAIL "$@"
	# A consumer left running would keep the module loaded for the next test.
	killall -q -9 scapdump scapctl 2>/dev/null
	sleep 0.2
	rmmod kscap 2>/dev/null
	exit 1
}
kt_skip() { kt_result SKIP "$@"; exit 0; }

kt_loaded() { grep -q '^kscap ' /proc/modules; }

# kt_load [param=value ...]: a fresh module with these parameters.
kt_load() {
	rmmod kscap 2>/dev/null
	kt_loaded && kt_fail "kscap still loaded before insmod"
	insmod "$KT_KO" "$@" || kt_fail "insmod kscap.ko $* failed"
	[ -c /dev/kscap ] || kt_fail "insmod $*: no /dev/kscap"
}

kt_unload() {
	rmmod kscap || kt_fail "rmmod kscap failed"
	kt_loaded && kt_fail "kscap still in /proc/modules after rmmod"
	[ -e /dev/kscap ] && kt_fail "/dev/kscap still exists after rmmod"
	return 0
}

# kt_prog NAME [ARGS]: run a test program; on failure, fail the test with
# the reason it wrote to $KT_REASON (its first failed check).
kt_prog() {
	KT_REASON=/tmp/reason.$KT_NAME.$1
	export KT_REASON
	rm -f "$KT_REASON"
	"$KT_BIN/$@"
	rc=$?
	if [ $rc -eq 77 ]; then
		kt_skip "$(cat "$KT_REASON" 2>/dev/null)"
	elif [ $rc -ne 0 ]; then
		reason=$(cat "$KT_REASON" 2>/dev/null)
		kt_fail "$1: ${reason:-exited with status $rc}"
	fi
	return 0
}

# kt_wait_enabled [SECONDS]: wait until a consumer has capture on. A fixed
# sleep is not enough on the debug kernel under a loaded host.
kt_wait_enabled() {
	n=$(( ${1:-60} * 10 ))
	while [ $n -gt 0 ]; do
		/kscap/tools/scapctl -j info 2>/dev/null | grep -q '"enabled":true' && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# kt_nats_start PORT DIR: a JetStream nats-server on 127.0.0.1:PORT with
# its store in DIR (emptied first), its log in DIR.log; sets $srv to its
# pid once it says it is ready, or fails the test.
kt_nats_start() {
	rm -rf "$2"
	/kscap/tools/nats-server -js -a 127.0.0.1 -p "$1" -sd "$2" >"$2.log" 2>&1 &
	srv=$!
	i=0
	until grep -q "Server is ready" "$2.log"; do
		i=$((i + 1))
		if [ $i -ge 300 ]; then
			kill $srv
			kt_fail "nats-server did not start: $(tail -n 3 "$2.log")"
		fi
		sleep 0.1
	done
}
