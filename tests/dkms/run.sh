#!/bin/bash
# DKMS packaging test: dkms add + build of the repository's module for
# each Debian kernel we support, checking that a kscap.ko with the right
# vermagic comes out, then dkms remove.
#
#   tests/dkms/run.sh [--kernel 6.1|6.12|all] [--arch arm64]
#
# --arch arm64: the same dkms.conf, unchanged, builds for Debian's arm64
# cloud kernels (scripts/arm64-sysroot.sh), cross-compiled: dkms runs make
# with ARCH=arm64 and CROSS_COMPILE=aarch64-linux-gnu- in its environment,
# as an arm64 host's dkms would run it natively. Results dkms-arm64/<kernel>.
#
# Everything happens in private DKMS trees under a temporary directory
# (--sourcetree/--dkmstree, and a throwaway signing key), so the machine's
# /usr/src, /var/lib/dkms and /lib/modules are never touched.
# Prints PASS:/FAIL: dkms/<kernel> lines; exits non-zero on a failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/kernels.sh
. "$here/../vm/kernels.sh"
repo=$KSCAP_REPO
src=${KSCAP_MODULE_SRC:-$repo}

kernels="6.1 6.12"
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ "$2" = all ] || kernels=${2//,/ }; shift 2 ;;
	--arch) export KSCAP_VM_ARCH=$2; shift 2 ;;
	*) echo "dkms/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

layer=dkms
cross=(env)
if [ "${KSCAP_VM_ARCH:-x86_64}" = arm64 ]; then
	layer=dkms-arm64
	cross=(env ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
fi
failed=0
fail() { echo "FAIL: $layer/$1: $2"; failed=1; }

if ! command -v dkms >/dev/null; then
	for k in $kernels; do fail "$k" "dkms missing (scripts/install-deps.sh)"; done
	exit 1
fi
conf=$repo/dkms.conf
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$conf")
# The version lives in debian/changelog; dh_dkms writes it into dkms.conf.
ver=$(make -s -C "$repo" version)
if [ -z "$name" ] || [ -z "$ver" ]; then
	for k in $kernels; do fail "$k" "no PACKAGE_NAME in $conf or version in debian/changelog"; done
	exit 1
fi

tmp=$(mktemp -d /tmp/kscap-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# What a source package would ship for DKMS: the Kbuild side only.
pkg=$tmp/src/$name-$ver
mkdir -p "$pkg" "$tmp/tree"
cp -r "$src/Kbuild" "$src/module" "$src/uapi" "$pkg/"
sed "s/#MODULE_VERSION#/$ver/" "$conf" > "$pkg/dkms.conf"
find "$pkg" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod' \
	-o -name '*.mod.c' \) -delete

# Private trees; signing (dkms signs when it finds sign-file) with a key
# generated here instead of /var/lib/dkms/mok.*.
dk() {
	"${cross[@]}" mok_signing_key="$tmp/mok.key" mok_certificate="$tmp/mok.pub" \
		dkms "$@" -m "$name" -v "$ver" --sourcetree "$tmp/src" --dkmstree "$tmp/tree"
}

if ! dk add >"$tmp/add.log" 2>&1; then
	for k in $kernels; do fail "$k" "dkms add: $(tail -n 3 "$tmp/add.log" | tr '\n' ' ')"; done
	exit 1
fi

for k in $kernels; do
	if ! kscap_kernel "$k"; then
		fail "$k" "$KERR"
		continue
	fi
	log=$tmp/build-$k.log
	t0=$(date +%s)
	if ! dk build -k "$KREL" --kernelsourcedir "$KDIR" >"$log" 2>&1; then
		# dkms keeps the compiler output in its own make.log.
		mlog=$tmp/tree/$name/$ver/build/make.log
		grep -E 'error|Error' "$mlog" 2>/dev/null | head -n 5 >&2
		fail "$k" "dkms build -k $KREL failed: $(grep -m1 -iE 'error' "$log" "$mlog" 2>/dev/null | cut -c1-200)"
		continue
	fi
	ko=$(find "$tmp/tree/$name/$ver/$KREL" -name "$name.ko*" | head -n 1)
	if [ -z "$ko" ]; then
		fail "$k" "dkms build -k $KREL produced no $name.ko"
		continue
	fi
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	if [ "${vermagic%% *}" != "$KREL" ]; then
		fail "$k" "vermagic '$vermagic' does not start with $KREL"
		continue
	fi
	echo "dkms: $KREL built in $(($(date +%s) - t0))s, vermagic '$vermagic'" >&2
	echo "PASS: $layer/$k"
done

if ! dk remove --all >"$tmp/remove.log" 2>&1; then
	echo "FAIL: $layer/remove: $(tail -n 3 "$tmp/remove.log" | tr '\n' ' ')"
	failed=1
elif [ -e "$tmp/tree/$name" ] && [ -n "$(ls -A "$tmp/tree/$name")" ]; then
	echo "FAIL: $layer/remove: dkms remove left $(ls -A "$tmp/tree/$name")"
	failed=1
fi
exit $failed
