#!/bin/bash
# Make tests/data/sysdig-falco.scap: a small capture written by Debian's
# `sysdig -w` on Falco's scap.ko, for the reader's test (a file written by
# another implementation of the format, with the event types, parameter
# counts and blocks that implementation writes).
#
#   tests/data/sysdig-capture.sh [OUT]
#
# One boot of Debian's 6.1 cloud kernel under qemu (TCG): an initramfs
# with busybox, scap.ko (tests/bench/falco.sh), sysdig and its libraries.
# The guest loads scap.ko, runs `sysdig -w` for a few busybox commands and
# prints the file in base64 between markers on the serial console.
# Not part of make check: the file it made is kept in the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$here/sysdig-falco.scap}
die() { echo "sysdig-capture: $*" >&2; exit 1; }

# shellcheck source=tests/vm/kernels.sh
. "$repo/tests/vm/kernels.sh"
kscap_kernel 6.1 || die "$KERR"
sysdig=$(command -v sysdig) || die "sysdig is not installed"
busybox=$(command -v busybox) || die "busybox-static is not installed"
ko=$("$repo/tests/bench/falco.sh" "$KDIR") || die "scap.ko did not build"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,etc,proc,sys,dev,tmp,root,cap}
cp "$busybox" "$stage/bin/busybox"
cp "$ko" "$stage/cap/scap.ko"
cp "$sysdig" "$stage/cap/sysdig"
for lib in $(ldd "$sysdig" | grep -oE '/[^ ]+'); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/cap
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
ip link set lo up
hostname kscap-sysdig
exec </dev/console >/dev/console 2>&1
insmod /cap/scap.ko || echo "CAP-ERR insmod"
# The workload: a few commands that open, read, write, fork and exec.
(sleep 3; exec 7</etc/passwd; for i in 1 2 3; do cat /etc/group >/dev/null; ls / >/dev/null; echo x >/tmp/f$i; done; wget -q -T 1 http://127.0.0.1:9/ 2>/dev/null; true) &
sysdig -w /tmp/c.scap -M 5 -s 64 "proc.name!=sysdig" >/tmp/sysdig.out 2>&1
echo "CAP-RC $?"
head -c 400 /tmp/sysdig.out
echo "CAP-SIZE $(wc -c </tmp/c.scap)"
echo CAP-BEGIN
base64 </tmp/c.scap
echo CAP-END
poweroff -f
INIT
chmod 755 "$stage/init"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) >"$stage.cpio"
log=$(mktemp)
timeout -k 10 900 qemu-system-x86_64 -nodefaults -no-reboot -display none -monitor none \
	-accel tcg,thread=multi -cpu max -smp 2 -m 1024 \
	-kernel "$KIMAGE" -initrd "$stage.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=4" -serial "file:$log" </dev/null || true
rm -f "$stage.cpio"
grep -a -E '^CAP-(RC|SIZE|ERR)' "$log" >&2 || true
sed -n '/^CAP-BEGIN/,/^CAP-END/p' "$log" | tr -d '\r' | sed '1d;$d' | base64 -d >"$out.tmp" ||
	die "no capture in the console log ($log)"
[ -s "$out.tmp" ] || die "empty capture ($log)"
mv "$out.tmp" "$out"
rm -f "$log"
echo "$out: $(wc -c <"$out") bytes"
