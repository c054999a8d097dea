#!/bin/bash
# What the guest kernel spends per byte of a file written to tmpfs, apart
# from scapdump: the cost scapdump -w FILE pays on top of -w /dev/null
# (the same 1 MiB write()s), taken apart by booting the benchmark's
# kernel with each piece switched off in turn.
#
#   tests/bench/pagecache.sh [--mib N] [VARIANT...]
#
# A VARIANT is MODE/CPU/PREALLOC/CMDLINE:
#   MODE      icount (guest ns = instructions) or tcg (2 vCPUs, wall clock)
#   CPU       qemu's -cpu: max, or max,erms=off,fsrm=off (the kernel then
#             copies and clears pages with rep movsq/stosq instead of
#             rep movsb/stosb, which TCG emulates one byte at a time)
#   PREALLOC  1: guest RAM touched by qemu before the boot (run.sh's storm
#             boots); 0: the guest's first write to a page faults it in
#             on the host
#   CMDLINE   added to the kernel command line, e.g. init_on_alloc=0 (no
#             zeroing of every page allocated, Debian's default is on)
# Default: each piece off alone and both, in icount; in tcg, the storm's
# boot without and with preallocation, and without ERMS.
#
# Each boot writes N MiB (default 128) in 1 MiB write()s to /dev/null, to
# a new tmpfs file (every page allocated) and over it again (the pages
# exist: the copy alone), and prints ns per byte of each and, for a
# storm's getppid events (57 bytes in the file), ns per event.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/vm/kernels.sh
. "$repo/tests/vm/kernels.sh"
# shellcheck source=tests/bench/boot.sh
. "$here/boot.sh"

mib=128
variants=()
while [ $# -gt 0 ]; do
	case $1 in
	--mib) mib=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) variants+=("$1"); shift ;;
	esac
done
[ ${#variants[@]} -gt 0 ] || variants=(
	"icount/max/0/" "icount/max,erms=off,fsrm=off/0/" "icount/max/0/init_on_alloc=0"
	"icount/max,erms=off,fsrm=off/0/init_on_alloc=0"
	"tcg/max/0/" "tcg/max/1/" "tcg/max,erms=off,fsrm=off/1/")
die() { echo "pagecache: $*" >&2; exit 1; }
kscap_kernel 6.1 || die "$KERR"
busybox=$(command -v busybox) || die "busybox missing"
out=$repo/build/bench/pagecache
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,proc,sys,dev,tmp}
cp "$busybox" "$stage/bin/busybox"
gcc -O2 -Wall -Wextra -Werror -static -o "$stage/pagecache" "$here/pagecache.c"
cat >"$stage/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o size=75% tmpfs /tmp
exec </dev/console >/dev/console 2>&1
echo "pc-flags \$(grep -m1 ^flags /proc/cpuinfo | tr ' ' '\n' | grep -xE 'erms|fsrm|rep_good' | tr '\n' ' ')"
echo "pc-\$(dmesg | grep -o 'mem auto-init.*')"
/pagecache /dev/null rewrite $mib 1048576
/pagecache /tmp/f new $mib 1048576
/pagecache /tmp/f rewrite $mib 1048576
echo pc-end
poweroff -f
INIT
chmod 755 "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --owner=0:0 --quiet) >"$out/initramfs.cpio"

printf '%-48s %9s %9s %9s %12s\n' "variant (ns per byte)" null new rewrite "new per 57B"
for v in "${variants[@]}"; do
	IFS=/ read -r mode cpu pre cmd <<<"$v"
	if [ "$mode" = icount ]; then
		accel="-accel tcg,thread=single -icount shift=0,sleep=off -smp 1"
	else
		accel="-accel tcg,thread=multi -smp 2"
	fi
	mem="-m 1024"
	[ "$pre" = 1 ] && mem="$mem -object memory-backend-ram,id=ram,size=1024M,prealloc=on,prealloc-threads=2 -machine memory-backend=ram"
	log=$out/${v//[\/,=]/_}.log
	# shellcheck disable=SC2086
	timeout -k 10 900 qemu-system-x86_64 -nodefaults -no-reboot -display none -monitor none \
		$accel -cpu "$cpu" $mem -kernel "$KIMAGE" -initrd "$out/initramfs.cpio" \
		-append "$bench_cmdline $cmd" -serial "file:$log" </dev/null >/dev/null 2>&1 || true
	grep -aq '^pc-end' "$log" || die "$v: no result (log: $log)"
	val() { grep -a "^pc path=$1 mode=$2 " "$log" | sed 's/.*ns_per_byte=//'; }
	null=$(val /dev/null rewrite) new=$(val /tmp/f new) re=$(val /tmp/f rewrite)
	printf '%-48s %9s %9s %9s %12.0f   (%s; %s)\n' "$v" "$null" "$new" "$re" \
		"$(awk -v b="$new" 'BEGIN { print b * 57 }')" "$(grep -a '^pc-flags' "$log" | cut -c10-)" \
		"$(grep -a '^pc-mem' "$log" | sed 's/.*heap alloc:\([a-z]*\).*/init_on_alloc \1/')"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (tcg rows are wall clock)"
