#!/bin/sh
# The drops a consumer reports in its consumer slots (ABI 1.3) show in
# GET_STATS, per CPU and summed, and in `scapctl stats` as consumer drops,
# stay there after it leaves and start from 0 for the next; garbage
# written there all through a capture harms nothing (consdrops.c).
. /kscap/t/lib.sh
T=/kscap/tools
kt_load ring_size=65536
KT_REASON=/tmp/reason.consdrops
export KT_REASON
rm -f "$KT_REASON" /tmp/cd.want
$KT_BIN/consdrops hold /tmp/cd.want &
pid=$!
n=0
until [ -s /tmp/cd.want ]; do
	kill -0 $pid 2>/dev/null || { wait $pid; kt_fail "consdrops: $(cat $KT_REASON 2>/dev/null)"; }
	n=$((n + 1))
	[ $n -lt 1200 ] || { kill -9 $pid; kt_fail "consdrops did not get to hold the device"; }
	sleep 0.1
done
want=$(cat /tmp/cd.want)
# scapctl -j stats: {"total":{...},"consumer_drops":N}
drops() { $T/scapctl -j stats | sed -n 's/.*"consumer_drops":\([0-9]*\).*/\1/p'; }
got=$(drops)
[ "$got" = "$want" ] || { kill -9 $pid; kt_fail "scapctl -j stats: consumer_drops '$got', the slots sum to $want"; }
$T/scapctl stats | grep -q "^consumer drops: $want " ||
	{ kill -9 $pid; kt_fail "scapctl stats: no 'consumer drops: $want': $($T/scapctl stats)"; }
kill -TERM $pid
wait $pid || kt_fail "consdrops: $(cat $KT_REASON 2>/dev/null)"
got=$(drops)
[ "$got" = "$want" ] || kt_fail "after the consumer left: consumer_drops '$got', want $want"
kt_prog consdrops fresh
got=$(drops)
[ "$got" = 0 ] || kt_fail "after a new consumer: consumer_drops '$got', want 0"
kt_unload
kt_pass "consumer drops $want shown by GET_STATS and scapctl, garbage harmless"
