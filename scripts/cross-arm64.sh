#!/bin/bash
# `make ARCH=arm64`: cross-build kscap for arm64 on this (amd64) machine.
#
#   scripts/cross-arm64.sh [module] [user]        (default: both)
#
# module: kscap.ko against Debian's arm64 cloud kernel headers of each line
#         of KSCAP_ARM64_KERNELS (default "6.1 6.12"), in
#         build/arm64/<release>/kscap.ko (-Werror, as the native build)
# user:   libkscap (.so, .a) and the tools, static (scapdump.static,
#         scapctl.static: what the arm64 test bed runs) and scapctl, in
#         build/arm64/user/{userlib,tools}; scapdump's fleet mode
#         (libnats) is left out of the cross build
#
# Kernels and libraries come from scripts/arm64-sysroot.sh (apt-get
# download, dpkg -x under /var/cache/kscap/arm64: nothing arm64 is
# installed). The compiler is gcc-aarch64-linux-gnu (CROSS_COMPILE=).
# Prints one line per product with its build time.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
out=$repo/build/arm64
die() { echo "cross-arm64: $*" >&2; exit 1; }
command -v "${cross}gcc" >/dev/null ||
	die "${cross}gcc missing: scripts/install-deps.sh (gcc-aarch64-linux-gnu)"

what=${*:-module user}
mkdir -p "$out"

secs() { echo "$(($(date +%s%N) / 1000000 - $1)) ms"; }
now() { echo $(($(date +%s%N) / 1000000)); }

build_module() {
	local line root krel t
	for line in ${KSCAP_ARM64_KERNELS:-6.1 6.12}; do
		root=$("$repo/scripts/arm64-sysroot.sh" "$line") || die "no $line sysroot"
		krel=$(cat "$root/krel")
		t=$(now)
		ARCH=arm64 CROSS_COMPILE=$cross "$repo/scripts/build-module.sh" \
			"$root/usr/src/linux-headers-$krel" "$out/$krel" >/dev/null
		echo "cross-arm64: $out/$krel/kscap.ko ($(secs "$t"))"
	done
}

build_user() {
	local sr lib t
	sr=$("$repo/scripts/arm64-sysroot.sh" user) || die "no userspace sysroot"
	lib=$sr/usr/lib/aarch64-linux-gnu
	# A copy of the userspace sources: the native objects in the tree stay.
	mkdir -p "$out/user"
	# (the sources git knows; outside a git checkout, the files that are
	# no build product)
	(cd "$repo" && { git ls-files --cached --others --exclude-standard \
		userlib tools uapi 2>/dev/null ||
		find userlib tools uapi -type f ! -name '*.o' ! -name '*.a' \
			! -name '*.so*' ! -name '*.static' ! -name scapdump ! -name scapctl \
			! -name libkscap.pc; }) |
		rsync -rc --files-from=- "$repo/" "$out/user/"
	export PKG_CONFIG_SYSROOT_DIR=$sr
	export PKG_CONFIG_LIBDIR=$lib/pkgconfig:$sr/usr/share/pkgconfig
	t=$(now)
	make -s -C "$out/user/userlib" CC="${cross}gcc" AR="${cross}ar" \
		LDFLAGS="-L$lib -Wl,-rpath-link,$lib"
	echo "cross-arm64: $out/user/userlib/libkscap.{so,a} ($(secs "$t"))"
	t=$(now)
	make -s -C "$out/user/tools" CC="${cross}gcc" \
		LDFLAGS="-L$lib -Wl,-rpath-link,$lib" static scapctl
	echo "cross-arm64: $out/user/tools/{scapdump.static,scapctl.static,scapctl} ($(secs "$t"))"
}

for w in $what; do
	case $w in
	module) build_module ;;
	user) build_user ;;
	*) die "unknown part '$w' (module, user)" ;;
	esac
done
