#!/bin/bash
# Fleet mode end to end on the build machine: a real nats-server with
# JetStream on a random loopback port and a store in a temporary
# directory, scapdump --publish replaying capture files (-r), scapdump
# --subscribe reading them back, compared with what `scapdump -r FILE`
# prints. One PASS:/FAIL:/SKIP: line per test; exit 1 on any failure.
#
#   tests/fleet/run.sh [--keep]     (--keep: leave the temporary directory)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
S=$top/tools/scapdump
DATA=$top/tests/data/sysdig-falco.scap
keep=0
[ "${1:-}" = --keep ] && keep=1

if ! command -v nats-server >/dev/null; then
	echo "SKIP: fleet: nats-server is not installed (scripts/install-deps.sh)"
	exit 0
fi
make -s -C "$top" lib tools >/dev/null || { echo "FAIL: fleet/build: make lib tools"; exit 1; }
if ! "$S" --help | grep -q -- --publish; then
	echo "FAIL: fleet/build: scapdump has no --publish"
	exit 1
fi

tmp=$(mktemp -d /tmp/kscap-fleet.XXXXXX) || exit 2
srv_pid=
# shellcheck disable=SC2317 # the EXIT trap runs it
cleanup() {
	if [ -n "$srv_pid" ]; then
		kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	fi
	if [ "$keep" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
failed=0
pass() { echo "PASS: fleet/$1"; }
fail() { echo "FAIL: fleet/$1: $2"; failed=1; }

# A free loopback port: the kernel picks one, we let it go and take it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=nats://127.0.0.1:$port

start_server() {
	nats-server -js -a 127.0.0.1 -p "$port" -sd "$tmp/store" "$@" >>"$tmp/server.log" 2>&1 &
	srv_pid=$!
	local _
	for _ in $(seq 100); do
		grep -q "Server is ready" "$tmp/server.log" 2>/dev/null &&
			[ "$(grep -c 'Server is ready' "$tmp/server.log")" -ge "$starts" ] && return 0
		sleep 0.05
	done
	echo "nats-server did not start:" >&2
	tail -5 "$tmp/server.log" >&2
	return 1
}
stop_server() {
	kill "$srv_pid" && wait "$srv_pid" 2>/dev/null
	srv_pid=
}
starts=1
start_server || { fail setup "nats-server -js did not start"; exit 1; }

# The events minus what differs by design: the running number (each
# scapdump run counts from 1) and the host tag.
strip() { sed -E 's/^\{"num":[0-9]+,/{/; s/"host":"[^"]*",//'; }

# n copies of the capture, one after the other (the reader steps over the
# section headers between them), rewritten as one capture: the events
# repeat n times after one process list.
copies() {
	local _
	for _ in $(seq "$1"); do cat "$DATA"; done
}
capture() {	# N FILE
	copies "$1" | "$S" -r - -w "$2" 2>/dev/null
}
capture 20 "$tmp/c20.scap"
"$S" -r "$tmp/c20.scap" -j 2>/dev/null | strip >"$tmp/c20.ref"
n20=$(wc -l <"$tmp/c20.ref")

# --- replay: publish a file, read it back as JSON, text, summary, -w
if "$S" -r "$tmp/c20.scap" --publish "$URL/kscap" --nats-host alpha 2>"$tmp/pub.err" &&
	grep -q "published $n20 events" "$tmp/pub.err" &&
	grep -q "dropped 0 events" "$tmp/pub.err"; then
	pass publish_file
else
	fail publish_file "$(tail -1 "$tmp/pub.err")"
fi
"$S" --subscribe "$URL/kscap.alpha" -j --nats-wait 1 >"$tmp/sub.json" 2>"$tmp/sub.err"
if [ "$(grep -c '"host":"alpha"' "$tmp/sub.json")" = "$n20" ] &&
	strip <"$tmp/sub.json" | cmp -s - "$tmp/c20.ref"; then
	pass replay_json
else
	fail replay_json "$(wc -l <"$tmp/sub.json") events, $n20 expected, or they differ"
fi
# filters and text: the same lines as -r, after the host
"$S" --subscribe "$URL/kscap" --nats-durable text -e execve,clone -d '<' --nats-wait 1 \
	>"$tmp/sub.txt" 2>>"$tmp/sub.err"
"$S" -r "$tmp/c20.scap" -e execve,clone -d '<' 2>/dev/null >"$tmp/ref.txt"
if [ -s "$tmp/ref.txt" ] && sed 's/^alpha //' "$tmp/sub.txt" | cmp -s - "$tmp/ref.txt"; then
	pass replay_text_filters
else
	fail replay_text_filters "$(wc -l <"$tmp/sub.txt") lines, $(wc -l <"$tmp/ref.txt") expected"
fi
"$S" --subscribe "$URL/kscap" --nats-durable sum --summary --nats-wait 1 >"$tmp/sub.sum" 2>/dev/null
"$S" -r "$tmp/c20.scap" --summary >"$tmp/ref.sum" 2>/dev/null
if [ -s "$tmp/ref.sum" ] && cmp -s "$tmp/sub.sum" "$tmp/ref.sum"; then
	pass replay_summary
else
	fail replay_summary "differs from scapdump -r --summary"
fi
"$S" --subscribe "$URL/kscap" --nats-durable file -w "$tmp/sub.scap" --nats-wait 1 2>/dev/null
if "$S" -r "$tmp/sub.scap" -j 2>/dev/null | strip | cmp -s - "$tmp/c20.ref"; then
	pass replay_write_file
else
	fail replay_write_file "scapdump -r of the -w file differs"
fi
# the durable consumer has seen everything: a second run prints nothing
"$S" --subscribe "$URL/kscap.alpha" -j --nats-wait 1 >"$tmp/again.json" 2>/dev/null
if [ ! -s "$tmp/again.json" ]; then
	pass durable_no_repeat
else
	fail durable_no_repeat "$(wc -l <"$tmp/again.json") events delivered again"
fi

# --- resume: the subscriber stopped mid-stream and started again shows
# every event once, and names the threads of the second part from the
# state message the events follow
capture 100 "$tmp/c100.scap"
"$S" -r "$tmp/c100.scap" -j 2>/dev/null | strip >"$tmp/c100.ref"
n100=$(wc -l <"$tmp/c100.ref")
"$S" -r "$tmp/c100.scap" --publish "$URL/resume" --nats-host beta 2>"$tmp/pub2.err"
mkfifo "$tmp/fifo"
# a slow reader keeps the subscriber busy long enough to be stopped
: >"$tmp/part1"
awk '{ print; fflush() } NR % 200 == 0 { system("sleep 0.02") }' <"$tmp/fifo" >"$tmp/part1" &
awk_pid=$!
"$S" --subscribe "$URL/resume" -j >"$tmp/fifo" 2>"$tmp/part1.err" &
sub_pid=$!
for _ in $(seq 400); do
	[ "$(wc -l <"$tmp/part1")" -ge 3000 ] && break
	sleep 0.02
done
kill -TERM "$sub_pid"
wait "$sub_pid"
wait "$awk_pid"
"$S" --subscribe "$URL/resume" -j --nats-wait 1 >"$tmp/part2" 2>"$tmp/part2.err"
p1=$(wc -l <"$tmp/part1")
p2=$(wc -l <"$tmp/part2")
if [ "$p1" -ge 3000 ] && [ "$p2" -gt 0 ] &&
	cat "$tmp/part1" "$tmp/part2" | strip | cmp -s - "$tmp/c100.ref"; then
	pass resume_after_restart
else
	fail resume_after_restart "first run $p1, second $p2 events, $n100 expected once each in order"
fi

# --- the server goes away while a publisher sends: batches are held up
# to --nats-buffer, the rest dropped and counted, publishing resumes
mkfifo "$tmp/feed"
( for _ in $(seq 40); do copies 8; sleep 0.1; done ) >"$tmp/feed" &
feed_pid=$!
"$S" -r - --publish "$URL/down" --nats-host gamma --nats-buffer 1048576 \
	<"$tmp/feed" 2>"$tmp/pub3.err" &
pub_pid=$!
sleep 0.8
stop_server
sleep 1.5
starts=2
start_server || fail server_down "nats-server did not start again"
wait "$feed_pid"
wait "$pub_pid"
fed=$(( 40 * 8 * $(wc -l <"$tmp/c20.ref") / 20 ))
line=$(grep '^scapdump: published' "$tmp/pub3.err")
sent=$(sed -E 's/^scapdump: published ([0-9]+) events.*/\1/' <<<"$line")
dropped=$(sed -E 's/.*; dropped ([0-9]+) events.*/\1/' <<<"$line")
"$S" --subscribe "$URL/down" -j --nats-wait 1 >"$tmp/down.json" 2>/dev/null
got=$(wc -l <"$tmp/down.json")
if [ -n "$sent" ] && [ "$dropped" -gt 0 ] && [ $((sent + dropped)) -eq "$fed" ] &&
	[ "$got" -eq "$sent" ] && grep -q "nats: reconnected" "$tmp/pub3.err"; then
	pass server_down_drops_counted
else
	fail server_down_drops_counted "fed $fed, published ${sent:-?}, dropped ${dropped:-?}, read $got"
	cat "$tmp/pub3.err" >&2
fi

# --- a live capture reports the publisher's drops to the device (the fake
# device of tests/unit, kscap_report_drops()): with no server at all (the
# connect must not block reading the rings), and with a server that goes
# away mid-stream; the device hears the count the summary gives
FAKE=$top/tests/unit/build/scapdump-fake-nats
fake_pub() {	# ERRFILE URL [VAR=VALUE...]: 100000 events from the fake device
	local err=$1 url=$2
	shift 2
	env ASAN_OPTIONS=detect_leaks=0 FAKE_EVENTS=100000 "$@" timeout -k 5 120 "$FAKE" \
		-n 100000 --publish "$url" --nats-host fake --nats-buffer 1048576 \
		>/dev/null 2>"$err"
}
fake_counts() {	# ERRFILE: "published dropped told-the-device"
	echo "$(sed -n 's/^scapdump: published \([0-9]*\) events.*/\1/p' "$1")" \
		"$(sed -n 's/.*; dropped \([0-9]*\) events.*/\1/p' "$1")" \
		"$(sed -n 's/^fakedev: consumer_drops=\([0-9]*\)$/\1/p' "$1")"
}
if make -s -C "$top/tests/unit" build/scapdump-fake-nats >/dev/null 2>&1; then
	nobody=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	fake_pub "$tmp/fk1.err" "nats://127.0.0.1:$nobody/fake"
	rc=$?
	read -r sent dropped told <<<"$(fake_counts "$tmp/fk1.err")"
	if [ $rc = 0 ] && [ "$sent" = 0 ] && [ "$dropped" = 100000 ] && [ "$told" = "$dropped" ]; then
		pass live_no_server_drops_reported
	else
		fail live_no_server_drops_reported "status $rc, published ${sent:-?}, dropped ${dropped:-?}, the device told ${told:-?}: $(tr '\n' ' ' <"$tmp/fk1.err" | cut -c1-300)"
	fi

	rm -f "$tmp/go"
	fake_pub "$tmp/fk2.err" "$URL/fake" FAKE_HOLD="$tmp/go" &
	fk_pid=$!
	# the first half in the server's store, then the server goes
	for _ in $(seq 200); do
		compgen -G "$tmp/store/jetstream/*/streams/KSCAP_fake/msgs/*.blk" >/dev/null && break
		sleep 0.05
	done
	sleep 1
	stop_server
	touch "$tmp/go"
	wait "$fk_pid"
	rc=$?
	starts=3
	start_server || fail live_server_gone_drops_reported "nats-server did not start again"
	read -r sent dropped told <<<"$(fake_counts "$tmp/fk2.err")"
	if [ $rc = 0 ] && [ "${sent:-0}" -gt 0 ] && [ "${dropped:-0}" -gt 0 ] &&
		[ "$told" = "$dropped" ]; then
		pass live_server_gone_drops_reported
	else
		fail live_server_gone_drops_reported "status $rc, published ${sent:-?}, dropped ${dropped:-?}, the device told ${told:-?}: $(tr '\n' ' ' <"$tmp/fk2.err" | cut -c1-300)"
	fi
else
	fail live_drops_reported "make -C tests/unit build/scapdump-fake-nats failed"
fi

# --- two hosts, one subscriber: merged in time order, each host's events
# whole and in order, --host picks one
"$S" -r "$DATA" -j 2>/dev/null | strip >"$tmp/one.ref"
"$S" -r "$DATA" --publish "$URL/fleet" --nats-host h1 2>/dev/null
"$S" -r "$DATA" --publish "$URL/fleet" --nats-host h2 2>/dev/null
"$S" --subscribe "$URL/fleet" -j --nats-wait 1 >"$tmp/two.json" 2>/dev/null
ordered=$(sed -E 's/.*"ts":([0-9]+),.*/\1/' "$tmp/two.json" | sort -n -c 2>&1 && echo yes)
if [ "$ordered" = yes ] &&
	grep '"host":"h1"' "$tmp/two.json" | strip | cmp -s - "$tmp/one.ref" &&
	grep '"host":"h2"' "$tmp/two.json" | strip | cmp -s - "$tmp/one.ref"; then
	pass two_hosts_merged
else
	fail two_hosts_merged "not in time order, or a host's events differ ($(wc -l <"$tmp/two.json") lines)"
fi
"$S" --subscribe "$URL/fleet" --nats-durable only2 --host h2 -j --nats-wait 1 \
	>"$tmp/h2.json" 2>/dev/null
if [ "$(grep -c '"host":"h2"' "$tmp/h2.json")" = "$(wc -l <"$tmp/one.ref")" ] &&
	! grep -q '"host":"h1"' "$tmp/h2.json"; then
	pass host_filter
else
	fail host_filter "$(wc -l <"$tmp/h2.json") lines"
fi

# --- usage errors: a clear message and status 2
"$S" --publish "http://x/y" -r "$DATA" >/dev/null 2>"$tmp/u1"
rc1=$?
"$S" --host h1 -r "$DATA" >/dev/null 2>"$tmp/u2"
rc2=$?
"$S" --subscribe "$URL/nosuch" --nats-wait 1 >/dev/null 2>"$tmp/u3"
rc3=$?
if [ $rc1 = 2 ] && grep -q "invalid --publish URL" "$tmp/u1" && [ $rc2 = 2 ] &&
	grep -q -- "--host goes with --subscribe" "$tmp/u2" && [ $rc3 = 2 ] &&
	grep -q "no stream holds 'nosuch'" "$tmp/u3"; then
	pass usage_errors
else
	fail usage_errors "statuses $rc1 $rc2 $rc3"
fi

# --- security: TLS (server and client certificates) and users allowed
# only their own subject, as README.md shows it
stop_server
sec=$tmp/sec
mkdir -p "$sec"
if (cd "$sec" &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca \
		-keyout ca.key -out ca.pem &&
	openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr &&
	printf 'subjectAltName=IP:127.0.0.1\n' >san.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
		-extfile san.ext -out server.pem &&
	openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout client.key -out client.csr &&
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
		-out client.pem) >"$sec/openssl.log" 2>&1; then
	cat >"$sec/server.conf" <<-CONF
	tls {
	  cert_file: "$sec/server.pem"
	  key_file: "$sec/server.key"
	  ca_file: "$sec/ca.pem"
	  verify: true
	}
	authorization {
	  users = [
	    { user: admin, password: adminpw }
	    { user: alpha, password: alphapw, permissions: {
	        publish: { allow: ["kscap.alpha", "\$JS.API.STREAM.INFO.KSCAP_kscap"] }
	        subscribe: { allow: ["_INBOX.>"] } } }
	    { user: reader, password: readerpw, permissions: {
	        publish: { allow: ["\$JS.API.STREAM.INFO.KSCAP_kscap", "\$JS.API.CONSUMER.>",
	                           "\$JS.API.STREAM.MSG.GET.KSCAP_kscap", "\$JS.ACK.KSCAP_kscap.>"] }
	        subscribe: { allow: ["_INBOX.>"] } } }
	  ]
	}
	CONF
	rm -rf "$tmp/store"
	starts=$((starts + 1))
	start_server -c "$sec/server.conf" || fail secure "nats-server with TLS did not start"
	T="--nats-tls-ca $sec/ca.pem --nats-tls-cert $sec/client.pem --nats-tls-key $sec/client.key"
	# the admin creates the stream; alpha publishes its own subject only
	# shellcheck disable=SC2086
	"$S" -r "$DATA" -n 1 --publish "tls://admin:adminpw@127.0.0.1:$port/kscap" --nats-host setup $T \
		2>"$tmp/sec0.err"
	# shellcheck disable=SC2086
	"$S" -r "$DATA" --publish "tls://alpha:alphapw@127.0.0.1:$port/kscap" --nats-host alpha $T \
		2>"$tmp/sec1.err"
	# shellcheck disable=SC2086
	"$S" -r "$DATA" --publish "tls://alpha:alphapw@127.0.0.1:$port/kscap" --nats-host beta $T \
		2>"$tmp/sec2.err"
	# shellcheck disable=SC2086
	"$S" --subscribe "tls://reader:readerpw@127.0.0.1:$port/kscap" --host alpha --host beta \
		-j --nats-wait 1 $T >"$tmp/sec.json" 2>"$tmp/sec3.err"
	# no client certificate: the server refuses the connection
	"$S" --subscribe "tls://reader:readerpw@127.0.0.1:$port/kscap" --nats-wait 1 \
		--nats-tls-ca "$sec/ca.pem" >/dev/null 2>"$tmp/sec4.err"
	rc4=$?
	n1=$(wc -l <"$tmp/one.ref")
	if grep -q "published $n1 events" "$tmp/sec1.err" &&
		grep -q "not permitted" "$tmp/sec2.err" && grep -q "published 0 events" "$tmp/sec2.err" &&
		grep -q "tls://\*\*\*@127" "$tmp/sec4.err" && ! grep -q readerpw "$tmp/sec4.err" &&
		[ "$(grep -c '"host":"alpha"' "$tmp/sec.json")" = "$n1" ] &&
		! grep -q '"host":"beta"' "$tmp/sec.json" && [ $rc4 != 0 ]; then
		pass tls_and_subject_permissions
	else
		fail tls_and_subject_permissions "$(cat "$tmp"/sec[0-4].err | tr '\n' ' ' | cut -c1-400)"
	fi
else
	echo "SKIP: fleet/tls_and_subject_permissions: openssl could not make certificates"
fi

exit $failed
