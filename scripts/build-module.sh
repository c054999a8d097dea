#!/bin/bash
# Build kscap.ko against one kernel, out of the source tree:
#
#   scripts/build-module.sh KDIR OUTDIR
#
# Copies the module sources (Kbuild, module/, uapi/) into OUTDIR and runs
# Kbuild there, so several kernels (e.g. build/<kernel-release>/) can be
# built side by side without their objects clobbering each other. rsync -c
# keeps unchanged files' timestamps, so a second run rebuilds only what
# changed. stdout: the path of the built kscap.ko; build output: stderr.
#
# KSCAP_MODULE_SRC overrides where the sources come from (default: this
# repository); the VM harness uses it to self-test with a stand-in module.
set -euo pipefail

die() { echo "build-module: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 KDIR OUTDIR"
kdir=$1
out=$2
src=${KSCAP_MODULE_SRC:-$(cd "$(dirname "$0")/.." && pwd)}

[ -f "$kdir/Makefile" ] || die "$kdir: not a kernel build tree (no Makefile)"
[ -f "$src/Kbuild" ] || die "$src: no Kbuild"
command -v rsync >/dev/null || die "rsync missing: run scripts/install-deps.sh"

mkdir -p "$out"
out=$(cd "$out" && pwd)

# Mirror exactly the module's inputs. Build products are excluded first:
# the source tree may hold objects of an in-tree `make module`, and
# excluded files in OUTDIR are also protected from --delete, so this
# build's own objects survive for the next incremental run.
rsync -rc --delete \
	--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='*.d' \
	--include='/Kbuild' --include='/module/***' --include='/uapi/***' \
	--include='/debian/' --include='/debian/changelog' --exclude='/debian/**' \
	--exclude='/*' \
	"$src/" "$out/" >&2

nproc=$(nproc 2>/dev/null || echo 2)
make -C "$kdir" M="$out" -j"$nproc" modules >&2 ||
	die "build against $kdir failed"
[ -f "$out/kscap.ko" ] || die "no kscap.ko in $out"
echo "$out/kscap.ko"
