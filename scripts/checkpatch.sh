#!/bin/bash
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.1) over the
# module and the uapi headers. The script is extracted once into the cache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KSCAP_CACHE:-/var/cache/kscap}/checkpatch
tarball=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "checkpatch: linux-source-6.1 is not installed (scripts/install-deps.sh)" >&2; exit 2; }

key=$(stat -c %s-%Y "$tarball")
if [ ! -x "$cache/$key/scripts/checkpatch.pl" ]; then
	mkdir -p "$cache/$key"
	tar -xJf "$tarball" -C "$cache/$key" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi

cd "$top"
# Kernel style, as a new driver would be held to, less what follows from
# our design: the X-macro tables (COMPLEX_MACRO, BRACKET_SPACE on their
# designated initialisers), the one compat header that must test kernel
# versions (LINUX_VERSION_CODE and its comparison order), and uapi headers
# that userspace compiles too, where the kernel's __packed does not exist.
# SYMBOLIC_PERMS: the flag tables translate mode bits by their names on
# purpose; octal there would hide which bit maps to which.
out=$("$cache/$key/scripts/checkpatch.pl" --no-tree --quiet --terse --show-types \
	--ignore COMPLEX_MACRO,BRACKET_SPACE,LINUX_VERSION_CODE,CONSTANT_COMPARISON,PREFER_DEFINED_ATTRIBUTE_MACRO,SYMBOLIC_PERMS \
	-f module/*.c module/*.h uapi/*.h | grep -v '^total: 0 errors, 0 warnings' || true)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
echo "checkpatch: clean"
