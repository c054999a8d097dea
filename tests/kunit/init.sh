#!/bin/busybox sh
# shellcheck shell=dash
# PID 1 of the KUnit VM (run.sh packs it as /init with a static busybox).
# Loads the test module, which runs its KUnit suites on load; checks for
# leaks; dumps the kernel log between markers for run.sh to parse; powers
# off. Every step says how it went with an "@@kscap:" line.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
# "t <uptime> <step>" lines let run.sh say where the VM's time went.
t() { echo "@@kscap: t $(cut -d' ' -f1 /proc/uptime) $1"; }
echo "@@kscap: boot ok"
t boot

insmod /kscap_kunit.ko
echo "@@kscap: insmod rc=$?"
t kunit

kmemleak=/sys/kernel/debug/kmemleak
# kmemleak ignores objects younger than 5 s, and reports one only if it
# did not change between two scans (the first scan of an object just takes
# its checksum): so wait, then scan twice. Do it while the module is still
# loaded so that its frames in a leak's backtrace have names: run.sh counts
# only leaks allocated from the module (boot has its own).
# Writing "scan" fails when kmemleak is off (kmemleak=off).
if [ -w $kmemleak ]; then
	sleep 5
	if echo scan >$kmemleak 2>/dev/null && echo scan >$kmemleak; then
		echo "@@kscap: kmemleak begin"
		cat $kmemleak
		echo "@@kscap: kmemleak end"
	fi
	t kmemleak
fi

rmmod kscap_kunit
echo "@@kscap: rmmod rc=$?"

echo "@@kscap: dmesg begin"
dmesg
echo "@@kscap: dmesg end"
echo "@@kscap: done"
poweroff -f
