#!/bin/bash
# The KUnit layer of kscap's tests: build (or reuse) the debug kernel,
# build kscap_kunit.ko against it, boot it in qemu with a busybox
# initramfs that loads the module, and report one line per test case:
#   PASS: kunit/<suite>.<case>   FAIL: ...: <reason>   SKIP: ...: <reason>
# plus kunit/vm (the run completed), kunit/kmemleak and kunit/kernel-log
# (no WARNING, BUG, KASAN, UBSAN, lockdep or sleep-in-atomic report).
# Exit status: 0 if nothing failed.
#
# Environment: KSCAP_CACHE (kernel cache, default /var/cache/kscap),
# KSCAP_KUNIT_BUILD (work dir, default <repo>/build/kunit),
# KSCAP_KUNIT_TIMEOUT (seconds the VM may run, default 900),
# KSCAP_KUNIT_CMDLINE (more kernel parameters, e.g. kmemleak=off).
# Timings go to stderr; the console log stays in the work dir.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${KSCAP_KUNIT_BUILD:-$repo/build/kunit}
vm_timeout=${KSCAP_KUNIT_TIMEOUT:-900}

say() { echo "kunit: $*" >&2; }
fail() { echo "FAIL: kunit/$1: $2"; exit 1; }
now() { date +%s; }

for tool in qemu-system-x86_64 python3 gcc make readelf flock; do
	command -v "$tool" >/dev/null || fail setup "$tool missing: run scripts/install-deps.sh"
done
# The initramfs has no libraries: only a static busybox runs there.
busybox=/bin/busybox
if [ ! -x "$busybox" ] || readelf -l "$busybox" | grep -q 'program interpreter'; then
	fail setup "no static $busybox: run scripts/install-deps.sh (busybox-static)"
fi

mkdir -p "$work"
t0=$(now)
# Its progress (a cold build takes minutes) goes straight to stderr.
tree=$("$here/build-kernel.sh") || fail build-kernel "the debug kernel did not build (see above)"
t1=$(now)

if ! make -s -C "$here" KDIR="$tree" BUILD="$work/module" >"$work/module.log" 2>&1; then
	cat "$work/module.log" >&2
	fail build-module "kscap_kunit.ko did not build (see above)"
fi
t2=$(now)

# The initramfs, described for the kernel's gen_init_cpio so that device
# nodes need no root.
cpio_gen=$work/gen_init_cpio
if [ ! -x "$cpio_gen" ] || [ "$cpio_gen" -ot "$tree/usr/gen_init_cpio.c" ]; then
	gcc -O2 -o "$cpio_gen" "$tree/usr/gen_init_cpio.c" ||
		fail initramfs "cannot build gen_init_cpio"
fi
cat >"$work/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /bin 0755 0 0
dir /tmp 1777 0 0
file /bin/busybox $busybox 0755 0 0
slink /bin/sh busybox 0777 0 0
file /init $here/init.sh 0755 0 0
file /kscap_kunit.ko $work/module/kscap_kunit.ko 0644 0 0
LIST
"$cpio_gen" "$work/initramfs.list" >"$work/initramfs.cpio" ||
	fail initramfs "gen_init_cpio failed"

# TCG: no KVM here. KASAN's shadow takes 1/8 of memory, kmemleak more.
console=$work/console.log
rc=0
timeout -k 10 "$vm_timeout" qemu-system-x86_64 \
	-m "${KSCAP_KUNIT_MEM:-512}" -smp 2 -nographic -no-reboot \
	-kernel "$tree/arch/x86/boot/bzImage" \
	-initrd "$work/initramfs.cpio" \
	-append "console=ttyS0 panic=-1 log_buf_len=4M kmemleak=on ${KSCAP_KUNIT_CMDLINE:-}" \
	</dev/null >"$console" 2>&1 || rc=$?
t3=$(now)
case $rc in
0) ;;
124|137) say "the VM hit the ${vm_timeout}s timeout" ;;
*) say "qemu exited with status $rc" ;;
esac

status=0
python3 "$here/ktap.py" "$console" || status=1
# Where the VM's time went, from the uptimes /init printed.
vm_steps=$(awk '$1 == "@@kscap:" && $2 == "t" { printf "%s%s %.0fs", sep, $4, $3 - prev; prev = $3; sep = ", " }' "$console")
say "kernel $((t1 - t0))s, module $((t2 - t1))s, boot+tests $((t3 - t2))s${vm_steps:+ ($vm_steps)}; console: $console"
exit $status
