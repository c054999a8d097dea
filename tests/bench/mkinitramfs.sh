#!/bin/bash
# Build the benchmark VM's initramfs, the one image every scenario boots:
# busybox, /init (tests/bench/guest.sh), the three modules and the
# programs, plus scapdump when it has been built.
#
#   tests/bench/mkinitramfs.sh --kscap KO --empty KO --falco KO \
#       --progs DIR --out FILE.cpio
#
# The archive is not compressed and the modules and programs are
# stripped: under emulation, every instruction the kernel spends on
# unpacking is boot time, and icount boots are the benchmark's slowest part.
#
# Layout inside:  /init  /bin/busybox  /bench/{kscap,bench_emptyprobe,scap}.ko
# /bench/<programs>  /bench/tools/scapdump  and, for the dynamic programs
# (falco_consumer links libscap.so), their libraries and the loader at
# the paths ldd names, each library also in /usr/lib/x86_64-linux-gnu,
# where the loader looks by default. Mirrors tests/vm/mkinitramfs.sh.
#
# scapdump: tools/scapdump.static when it has been built (`make -C tools
# static`), else tools/scapdump with its libraries. sysdig (Debian's) with
# its libraries when it is installed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
die() { echo "bench mkinitramfs: $*" >&2; exit 1; }

kscap= empty= falco= progs= out=
while [ $# -gt 0 ]; do
	case $1 in
	--kscap) kscap=$2; shift 2 ;;
	--empty) empty=$2; shift 2 ;;
	--falco) falco=$2; shift 2 ;;
	--progs) progs=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) die "usage: $0 --kscap KO --empty KO --falco KO --progs DIR --out FILE" ;;
	esac
done
[ -n "$out" ] && [ -d "$progs" ] || die "--progs DIR and --out FILE are needed"
busybox=$(command -v busybox) || die "busybox missing: apt-get install busybox-static"
file -L "$busybox" | grep -q 'statically linked' ||
	die "$busybox is not static: install busybox-static"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,bench/tools,etc,proc,sys,dev,tmp,usr/lib/x86_64-linux-gnu}
cp "$busybox" "$stage/bin/busybox"
install -m 755 "$here/guest.sh" "$stage/init"
# A module that did not build is simply absent: its scenarios report that.
add_ko() {	# KO NAME
	[ -n "$1" ] && [ -f "$1" ] || return 0
	strip --strip-debug -o "$stage/bench/$2" "$1"
}
add_ko "$kscap" kscap.ko
add_ko "$empty" bench_emptyprobe.ko
add_ko "$falco" scap.ko
printf 'root:x:0:0:root:/:/bin/sh\n' >"$stage/etc/passwd"
printf 'root:x:0:\n' >"$stage/etc/group"

# A program and, if it is dynamic, the libraries it loads.
copy_with_libs() {	# BINARY DESTFILE
	local bin=$1 dest=$2 lib
	strip -o "$dest" "$bin"
	file -L "$bin" | grep -q 'statically linked' && return 0
	ldd "$bin" | grep -q 'not found' &&
		die "$bin: $(ldd "$bin" | grep 'not found' | head -n 1)"
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
		# A library found through an $ORIGIN run path in the build
		# tree would not be found at that path in the guest.
		case $(dirname "$lib") in
		/lib/x86_64-linux-gnu | /usr/lib/x86_64-linux-gnu | /lib64) ;;
		*) cp -L "$lib" "$stage/usr/lib/x86_64-linux-gnu/" ;;
		esac
	done
}
for p in "$progs"/*; do
	[ -f "$p" ] && [ -x "$p" ] || continue
	copy_with_libs "$p" "$stage/bench/$(basename "$p")"
done
for sd in "$repo/tools/scapdump.static" "$repo/tools/scapdump"; do
	if [ -x "$sd" ] && [ -f "$sd" ]; then
		copy_with_libs "$sd" "$stage/bench/tools/scapdump"
		break
	fi
done

# sysdig (the sysnull and sysfile scenarios, on Falco's scap.ko) with its
# libraries, when it is installed.
if sysdig=$(command -v sysdig); then
	copy_with_libs "$sysdig" "$stage/bench/tools/sysdig"
fi

# scapdump --publish (the dumppub scenario): the dynamic scapdump, which
# has NATS support, and nats-server, when both are there.
if [ -x "$repo/tools/scapdump" ] && command -v nats-server >/dev/null &&
	case $(ldd "$repo/tools/scapdump" 2>/dev/null) in *libnats*) true ;; *) false ;; esac; then
	copy_with_libs "$repo/tools/scapdump" "$stage/bench/tools/scapdump-nats"
	copy_with_libs "$(command -v nats-server)" "$stage/bench/tools/nats-server"
fi

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
