#!/bin/bash
# Build (once) the small x86_64 debug kernel the KUnit and VM tests boot:
# Debian's linux-source-6.1 + `make tinyconfig` + tests/kunit/debug.config.
#
# The tree lands in ${KSCAP_CACHE:-/var/cache/kscap}/kunit-kernel/<key>/,
# key = sha256(fragment, linux-source package version, gcc version), so a
# changed input gives a new tree and an unchanged one is reused untouched.
# The tree stays usable for out-of-tree modules (make -C <tree> M=...).
#
# stdout: the tree path, nothing else. Progress and timings: stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${KSCAP_CACHE:-/var/cache/kscap}
pkg=linux-source-6.1
tarball=/usr/src/$pkg.tar.xz
frag=$here/debug.config
jobs=$(nproc)
export ARCH=x86_64

say() { echo "build-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ -r "$tarball" ] || die "$tarball missing: run scripts/install-deps.sh"
pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "package $pkg not installed: run scripts/install-deps.sh"
gccver=$(gcc --version | head -n 1)
key=$({ cat "$frag"; echo "$pkg $pkgver"; echo "$gccver"; } |
	sha256sum | cut -c1-16)
base=$cache/kunit-kernel
tree=$base/$key
log=$base/$key.log
done_mark=$tree/.kscap-built

mkdir -p "$base" 2>/dev/null && [ -w "$base" ] ||
	die "cannot write to $base: set KSCAP_CACHE to a writable directory"
# One builder per key: a second caller waits, then finds the tree built.
exec 9>"$base/$key.lock"
if ! flock -n 9; then
	say "waiting for another build of $tree"
	flock 9
fi

if [ -e "$done_mark" ]; then
	touch "$tree/.kscap-used"
	say "cached: $tree"
	echo "$tree"
	exit 0
fi

# Check that every line of the fragment made it into .config: merge_config
# and olddefconfig silently drop options whose dependencies are unmet.
verify_config() {
	local bad=0 line sym
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" .config || {
				sym=${line%%=*}
				say "config: wanted '$line', got '$(grep -E "^(# )?$sym[= ]" .config || echo "$sym absent")'"
				bad=1
			}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#"# "}; sym=${sym%% *}
			if grep -q "^$sym=" .config; then
				say "config: wanted '$line', got '$(grep "^$sym=" .config)'"
				bad=1
			fi
			;;
		esac
	done <"$frag"
	return $bad
}

t0=$(date +%s)
run() { "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "'$*' failed (full log: $log)"; }; }

# A half-built tree from an interrupted run cannot be trusted: start over.
rm -rf "$tree" "$log"
mkdir -p "$tree"
say "building $pkg $pkgver debug kernel in $tree ($jobs jobs; log: $log)"
run tar -xJf "$tarball" -C "$tree" --strip-components=1
t1=$(date +%s)
say "extracted in $((t1 - t0))s"

cd "$tree"
run make tinyconfig
run scripts/kconfig/merge_config.sh -m .config "$frag"
run make olddefconfig
verify_config || die "the merged .config lacks options of $frag (see above)"

run make -j"$jobs" bzImage modules
run make modules_prepare
[ -s arch/x86/boot/bzImage ] || die "no bzImage produced"
[ -e Module.symvers ] || die "no Module.symvers produced"
t2=$(date +%s)
say "built in $((t2 - t1))s (total $((t2 - t0))s)"

touch "$done_mark" "$tree/.kscap-used"

# Trees of other inputs take about 2 GB each: drop those no one has used
# for two days (every call marks its tree used) and no one is building.
for old in "$base"/*/; do
	old=${old%/}
	[ "$old" = "$tree" ] && continue
	[ -n "$(find "$old" -maxdepth 1 -name .kscap-used -mtime -2)" ] && continue
	(
		exec 8>"$old.lock"
		flock -n 8 && rm -rf "$old" "$old.log" "$old.lock"
	) || true
done

echo "$tree"
