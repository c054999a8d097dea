#!/bin/bash
# Debian's arm64 cloud kernel, its headers and an arm64 static busybox,
# unpacked (dpkg -x, nothing arm64 is installed) into a sysroot under
# /var/cache/kscap/arm64/, one per kernel release and package version.
#
#   scripts/arm64-sysroot.sh 6.1|6.12     prints the sysroot's path
#   scripts/arm64-sysroot.sh user         the libraries the userspace side
#                                         links (libnl, ncurses), for
#                                         aarch64-linux-gnu-gcc
#   scripts/arm64-sysroot.sh armhf        busybox-static:armhf, a 32-bit
#                                         (AArch32) program for the compat
#                                         test (bin/busybox)
#
# In it: boot/vmlinuz-$KREL (boots with qemu -kernel, no firmware),
# usr/src/linux-headers-$KREL (KDIR for `make ARCH=arm64`), bin/busybox,
# and a file "krel" holding the release. The headers' scripts/ and tools/
# are relative links to lib/linux-kbuild-*, unpacked from the *amd64*
# kbuild package so they run here. Needs `dpkg --add-architecture arm64`
# (scripts/install-deps.sh does it) for apt to know the packages.
set -euo pipefail

line=${1:?usage: arm64-sysroot.sh 6.1|6.12}
cache=${KSCAP_CACHE:-/var/cache/kscap}/arm64
mkdir -p "$cache"

ver() { apt-cache policy "$1" | sed -n 's/^ *Candidate: //p'; }
# make cannot take colons in paths
safe() { tr -c 'A-Za-z0-9.+~_\n-' _; }

# An armhf busybox, through a private apt state (the machine's own
# sources read for armhf): armhf is not added to dpkg.
if [ "$line" = armhf ]; then
	st=$cache/apt-armhf
	mkdir -p "$st/lists/partial" "$st/cache/archives/partial" "$st/parts"
	cp /etc/apt/sources.list "$st/sources.list" 2>/dev/null || : >"$st/sources.list"
	cp /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list "$st/parts/" 2>/dev/null || true
	a=(-o "Dir::Etc::SourceList=$st/sources.list" -o "Dir::Etc::SourceParts=$st/parts"
		-o "Dir::State::Lists=$st/lists" -o "Dir::Cache=$st/cache"
		-o Acquire::Languages=none -o APT::Architecture=armhf -o APT::Architectures=armhf)
	exec 9>"$cache/.lock"
	flock 9
	compgen -G "$st/lists/*_Packages*" >/dev/null || apt-get "${a[@]}" update -q >&2
	v=$(apt-cache "${a[@]}" policy busybox-static | sed -n 's/^ *Candidate: //p')
	[ -n "$v" ] || { echo "arm64-sysroot: no busybox-static for armhf" >&2; exit 1; }
	root=$cache/armhf-busybox-$(echo "$v" | safe)
	if [ ! -f "$root/.kscap-done" ]; then
		rm -rf "$root" "$root.tmp"
		mkdir -p "$root.tmp/debs"
		chmod 777 "$root.tmp/debs"
		(cd "$root.tmp/debs" && apt-get "${a[@]}" download -q busybox-static) >&2
		dpkg -x "$root.tmp"/debs/*.deb "$root.tmp"
		rm -rf "$root.tmp/debs"
		mv "$root.tmp" "$root"
		touch "$root/.kscap-done"
	fi
	echo "$root"
	exit 0
fi

# The libraries libkscap and the tools link, with their headers and
# static archives (the VM's tools are static).
if [ "$line" = user ]; then
	pkgs="libnl-3-dev libnl-genl-3-dev libnl-3-200 libnl-genl-3-200
		libncurses-dev libncurses6 libncursesw6 libtinfo6"
	key=user
	for p in $pkgs; do
		key=$key-$(ver "$p:arm64")
	done
	root=$cache/user-$(echo "$key" | md5sum | cut -c1-12)
	exec 9>"$cache/.lock"
	flock 9
	if [ ! -f "$root/.kscap-done" ]; then
		rm -rf "$root" "$root.tmp"
		mkdir -p "$root.tmp/debs"
		chmod 777 "$root.tmp/debs"
		# shellcheck disable=SC2046,SC2086 # one word per package
		(cd "$root.tmp/debs" && apt-get download -q $(printf '%s:arm64 ' $pkgs)) >&2
		for d in "$root.tmp"/debs/*.deb; do
			dpkg -x "$d" "$root.tmp"
		done
		rm -rf "$root.tmp/debs"
		# As on a merged-/usr system: /lib is /usr/lib (the .pc files
		# say /usr/lib, libnl ships in /lib), and absolute links (the
		# .so of libtinfo) point into the sysroot.
		cp -a "$root.tmp/lib/." "$root.tmp/usr/lib/"
		rm -rf "$root.tmp/lib"
		ln -s usr/lib "$root.tmp/lib"
		find "$root.tmp" -type l -lname '/*' | while read -r l; do
			ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" \
				"$root.tmp$(readlink "$l")")" "$l"
		done
		echo "$key" >"$root.tmp/versions"
		mv "$root.tmp" "$root"
		touch "$root/.kscap-done"
	fi
	echo "$root"
	exit 0
fi

# The image package of the line: the newest release the archive offers.
case $line in
6.1) img=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -n 1) ;;
6.12) img=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-cloud-arm64$' |
	awk '{print $1}' | sort -V | tail -n 1) ;;
*) echo "arm64-sysroot: unknown kernel line '$line' (6.1, 6.12, user or armhf)" >&2; exit 2 ;;
esac
[ -n "$img" ] || {
	echo "arm64-sysroot: no arm64 $line cloud kernel known to apt (dpkg --add-architecture arm64; apt-get update)" >&2
	exit 1
}
krel=${img#linux-image-}
hdr=linux-headers-$krel
common=$(apt-cache depends "$hdr:arm64" | grep -o 'linux-headers-[^ <>:]*-common' | head -n 1)
kbuild=$(apt-cache depends "$hdr:arm64" | grep -o 'linux-kbuild-[^ <>:]*' | head -n 1)
key=$(echo "$krel-$(ver "$img:arm64")-bb$(ver busybox-static:arm64)" | safe)
root=$cache/$key

exec 9>"$cache/.lock"
flock 9
if [ ! -f "$root/.kscap-done" ]; then
	rm -rf "$root" "$root.tmp"
	mkdir -p "$root.tmp/debs"
	chmod 777 "$root.tmp/debs"	# apt's _apt user writes there
	(cd "$root.tmp/debs" && apt-get download -q "$img:arm64" "$hdr:arm64" \
		"$common" "$kbuild:amd64" busybox-static:arm64) >&2
	for d in "$root.tmp"/debs/*.deb; do
		dpkg -x "$d" "$root.tmp"
	done
	rm -rf "$root.tmp/debs"
	# The headers' Makefile includes the common headers by their
	# installed path: point it into the sysroot (its final path).
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$root.tmp/usr/src/$hdr/Makefile"
	echo "$krel" >"$root.tmp/krel"
	mv "$root.tmp" "$root"
	touch "$root/.kscap-done"
fi
echo "$root"
