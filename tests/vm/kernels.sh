# shellcheck shell=bash
# Sourced by the VM and DKMS runners: which kernels we test against and
# where their pieces are. Versions are discovered, never hard-coded, so a
# Debian kernel update just moves the tests to the new release.
#
#   kscap_kernel NAME     NAME is 6.1, 6.12 or debug. Sets KNAME, KREL
#                         (the release modules are built for), KDIR (the
#                         build tree) and KIMAGE (the bootable image).
#                         Returns 1 with KERR set if NAME is unavailable.
#   kscap_debug_built     true if the debug kernel has been built already.

KSCAP_REPO=${KSCAP_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KSCAP_CACHE=${KSCAP_CACHE:-/var/cache/kscap}

# The release a tree builds modules for: UTS_RELEASE, which is what
# vermagic and `uname -r` carry (Debian's kernel.release file differs).
kscap_tree_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null
}

# Newest Debian cloud headers of one kernel line (6.1, 6.12, ...).
kscap_debian_headers() {
	local line=$1 d best=
	for d in /usr/src/linux-headers-"$line".*-cloud-amd64; do
		[ -f "$d/Makefile" ] && best="$best$d"$'\n'
	done
	printf '%s' "$best" | sort -uV | tail -n 1
}

kscap_debug_built() {
	compgen -G "$KSCAP_CACHE/kunit-kernel/*/.kscap-built" >/dev/null
}

# The arm64 kernels (KSCAP_VM_ARCH=arm64): Debian's arm64 cloud kernel
# and headers, unpacked by scripts/arm64-sysroot.sh.
kscap_kernel_arm64() {
	local root
	case $1 in
	6.1 | 6.12)
		root=$("$KSCAP_REPO/scripts/arm64-sysroot.sh" "$1") ||
			{ KERR="no arm64 $1 kernel (scripts/arm64-sysroot.sh $1)"; return 1; }
		# shellcheck disable=SC2034 # the callers read these
		KREL=$(cat "$root/krel") KDIR=$root/usr/src/linux-headers-$KREL \
			KIMAGE=$root/boot/vmlinuz-$KREL KBUSYBOX=$root/bin/busybox
		;;
	*)
		KERR="unknown arm64 kernel '$1' (6.1 or 6.12)"
		return 1
		;;
	esac
}

kscap_kernel() {
	# shellcheck disable=SC2034 # the callers read these
	KNAME=$1 KREL='' KDIR='' KIMAGE='' KERR=''
	if [ "${KSCAP_VM_ARCH:-x86_64}" = arm64 ]; then
		kscap_kernel_arm64 "$1"
		return
	fi
	case $1 in
	6.1 | 6.12)
		KDIR=$(kscap_debian_headers "$1")
		[ -n "$KDIR" ] || { KERR="no /usr/src/linux-headers-$1.*-cloud-amd64 (scripts/install-deps.sh)"; return 1; }
		KREL=$(kscap_tree_release "$KDIR")
		[ -n "$KREL" ] || { KERR="$KDIR: no UTS_RELEASE"; return 1; }
		KIMAGE=/boot/vmlinuz-$KREL
		[ -r "$KIMAGE" ] || { KERR="$KIMAGE missing (install linux-image-$KREL)"; return 1; }
		;;
	debug)
		# build-kernel.sh builds the tree once (it is slow: a full
		# kernel build) and prints its path; later calls just print it.
		local script=$KSCAP_REPO/tests/kunit/build-kernel.sh
		[ -x "$script" ] || { KERR="$script missing"; return 1; }
		KDIR=$("$script") || { KERR="$script failed"; return 1; }
		KREL=$(kscap_tree_release "$KDIR")
		KIMAGE=$KDIR/arch/x86/boot/bzImage
		if [ -z "$KREL" ] || [ ! -r "$KIMAGE" ]; then
			KERR="$KDIR: no bzImage or UTS_RELEASE"
			return 1
		fi
		;;
	*)
		# shellcheck disable=SC2034 # the callers read it
		KERR="unknown kernel '$1' (6.1, 6.12 or debug)"
		return 1
		;;
	esac
}
