#!/bin/bash
# Build the test VM's initramfs: busybox (static), /init, kscap.ko, the
# static test programs, the test scripts and, when they are built, the
# tools (scapdump, scapctl).
#
#   tests/vm/mkinitramfs.sh --ko KSCAP_KO --progs PROGS_DIR --out FILE.cpio.gz
#
# KSCAP_TOOLS_DIR: where the tools are (default: the repository's tools/).
# KSCAP_VM_ARCH=arm64: an arm64 image: busybox is $KSCAP_VM_BUSYBOX (the
# arm64 sysroot's), the programs are those built for arm64 (the i386 ones
# and those not ported are left out), stripped by the cross strip;
# KSCAP_VM_BUSYBOX32, a 32-bit (armhf) busybox, goes in as
# /kscap/bin32/busybox for the compat test.
#
# Layout inside:  /init  /bin/busybox  /kscap/{kscap.ko,kernel-bad.re,
# demo-guest.sh}  /kscap/t/*.sh  /kscap/bin/<progs>  /kscap/tools/<tools>
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
die() { echo "mkinitramfs: $*" >&2; exit 1; }

ko='' progs='' out=''
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--progs) progs=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) die "usage: $0 --ko KO --progs DIR --out FILE" ;;
	esac
done
[ -f "$ko" ] || die "no module at '$ko'"
[ -d "$progs" ] || die "no programs directory '$progs'"
[ -n "$out" ] || die "--out missing"
arch=${KSCAP_VM_ARCH:-x86_64}
strip="strip"
if [ "$arch" = arm64 ]; then
	busybox=${KSCAP_VM_BUSYBOX:?KSCAP_VM_BUSYBOX: the arm64 busybox}
	strip=aarch64-linux-gnu-strip
else
	busybox=$(command -v busybox) || die "busybox missing: apt-get install busybox-static"
fi
file -L "$busybox" | grep -q 'statically linked' ||
	die "$busybox is not static: install busybox-static"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# mktemp makes it 0700: as the initramfs root, unprivileged test
# processes could not even look up /dev.
chmod 755 "$stage"
mkdir -p "$stage"/{bin,kscap/t,kscap/bin,kscap/tools,lib64,lib,etc}
cp "$busybox" "$stage/bin/busybox"
if [ -n "${KSCAP_VM_BUSYBOX32:-}" ]; then
	mkdir -p "$stage/kscap/bin32"
	cp "$KSCAP_VM_BUSYBOX32" "$stage/kscap/bin32/busybox"
fi
install -m 755 "$here/init" "$stage/init"
cp "$ko" "$stage/kscap/kscap.ko"
cp "$here/kernel-bad.re" "$stage/kscap/"
cp "$here"/t/*.sh "$stage/kscap/t/"
[ -f "$here/demo-guest.sh" ] && cp "$here/demo-guest.sh" "$stage/kscap/"
for c in "$here"/progs/*.c "$here"/progs/i386/*.c; do
	p=$progs/$(basename "$c" .c)
	[ "$p" = "$progs/kt" ] && continue
	if [ "$arch" = arm64 ]; then
		[ -x "$p" ] || continue
	fi
	[ -x "$p" ] || die "$p not built (make -C tests/vm/progs O=$progs)"
	# The test programs are static; stripping keeps the image small.
	"$strip" -o "$stage/kscap/bin/$(basename "$p")" "$p"
done
# /etc/passwd lets busybox print names; tests use numeric ids anyway.
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"

# The tools, when built. They may be dynamic executables: carry the
# libraries they load (and the dynamic loader) along with them.
copy_with_libs() {	# BIN [NAME]
	local bin=$1 lib
	cp "$bin" "$stage/kscap/tools/${2:-$(basename "$bin")}"
	file -L "$bin" | grep -q 'dynamically linked' || return 0
	ldd "$bin" | grep -q 'not found' &&
		die "$bin: $(ldd "$bin" | grep 'not found' | head -n 1)"
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
		# the tools find the build tree's libkscap at $ORIGIN/../userlib
		case $lib in */userlib/libkscap.so.*)
			mkdir -p "$stage/kscap/userlib"
			cp -L "$lib" "$stage/kscap/userlib/" ;;
		esac
	done
}
tools=${KSCAP_TOOLS_DIR:-$repo/tools}
for tool in scapdump scapctl; do
	# `make -C tools static` builds <tool>.static: no libraries to carry.
	if [ -x "$tools/$tool.static" ] && [ -f "$tools/$tool.static" ]; then
		cp "$tools/$tool.static" "$stage/kscap/tools/$tool"
	elif [ -x "$tools/$tool" ] && [ -f "$tools/$tool" ]; then
		copy_with_libs "$tools/$tool"
	fi
done

# Fleet mode (t/fleet_live.sh): the dynamic scapdump, which has NATS
# support (the static one has not: Debian ships no static libnats), and
# nats-server, when both are there.
# (ldd's output taken whole: grep -q would cut the pipe, and pipefail fail it)
if [ -x "$tools/scapdump" ] && [ -f "$tools/scapdump" ] && command -v nats-server >/dev/null &&
	case $(ldd "$tools/scapdump" 2>/dev/null) in *libnats*) true ;; *) false ;; esac; then
	copy_with_libs "$tools/scapdump" scapdump-nats
	copy_with_libs "$(command -v nats-server)"
fi

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
