#!/bin/bash
# Build Falco's kernel module (scap.ko) for the benchmark, outside the
# repository:
#
#   tests/bench/falco.sh KDIR
#
# The source is Debian's falcosecurity-scap-dkms package, the version that
# matches the installed libfalcosecurity0-dev (libscap refuses a driver of
# another API version). It is fetched with `apt-get download` into
# ${KSCAP_CACHE:-/var/cache/kscap}/falco, unpacked there and built there,
# keyed by package version and kernel release; nothing of it enters the
# repository. stdout: the path of scap.ko; build output: stderr.
#
# On Debian's 6.1 cloud kernel the source builds and runs unmodified, so
# no patch is applied. Should a later kernel need one, it belongs in
# patch_source() below, applied to the cached copy at build time (and
# the reason recorded there and in tests/bench/RESULTS.md), never to the
# repository.
set -euo pipefail

die() { echo "falco.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 KDIR"
kdir=$1
[ -f "$kdir/Makefile" ] || die "$kdir: not a kernel build tree"
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
[ -n "$krel" ] || die "$kdir: no UTS_RELEASE"

cache=${KSCAP_CACHE:-/var/cache/kscap}/falco
mkdir -p "$cache"

# The driver version libscap was built for.
ver=$(dpkg-query -W -f '${Version}' libfalcosecurity0-dev 2>/dev/null) ||
	die "libfalcosecurity0-dev is not installed (scripts/install-deps.sh)"
deb=$cache/falcosecurity-scap-dkms_${ver//:/%3a}_all.deb
if [ ! -f "$deb" ]; then
	echo "falco.sh: apt-get download falcosecurity-scap-dkms=$ver" >&2
	(cd "$cache" && apt-get download "falcosecurity-scap-dkms=$ver" >&2) ||
		die "apt-get download falcosecurity-scap-dkms=$ver failed"
	[ -f "$deb" ] || die "downloaded, but no $deb"
fi

src=$cache/src/$ver
if [ ! -f "$src/.unpacked" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	dpkg-deb -x "$deb" "$src/root"
	touch "$src/.unpacked"
fi
pkgsrc=$(ls -d "$src"/root/usr/src/scap-* 2>/dev/null | head -n 1)
[ -n "$pkgsrc" ] && [ -f "$pkgsrc/Makefile" ] || die "no driver source in $deb"

# Patches for kernels the source does not support as shipped: none needed
# for 6.1 (see the header).
patch_source() {
	:
}

out=$cache/build/$ver/$krel
if [ ! -f "$out/scap.ko" ] || [ "$deb" -nt "$out/scap.ko" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	cp -a "$pkgsrc/." "$out/"
	(cd "$out" && patch_source)
	make -C "$kdir" M="$out" -j"$(nproc)" modules >"$out/build.log" 2>&1 || {
		tail -n 30 "$out/build.log" >&2
		die "scap.ko does not build against $krel (log: $out/build.log)"
	}
fi
[ -f "$out/scap.ko" ] || die "no scap.ko in $out"
echo "$out/scap.ko"
