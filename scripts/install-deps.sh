#!/bin/sh
# Install every Debian package kscap needs to build, test and demo.
# Idempotent: re-running it only installs what is missing.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive

# arm64: the test bed's kernels, headers, busybox and the libraries the
# cross-built tools link are fetched with apt-get download and unpacked
# (scripts/arm64-sysroot.sh), never installed; apt must know the arch.
dpkg --print-foreign-architectures | grep -qx arm64 ||
	$SUDO dpkg --add-architecture arm64
$SUDO apt-get update -qq

# No gcc-multilib: it conflicts with gcc-aarch64-linux-gnu; the 32-bit x86
# test programs are freestanding (tests/vm/progs/i386/).

# The 6.12 kernel line Debian 12 ships in its security updates: pick the
# newest cloud flavour the archive offers.
k612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64$' |
	awk '{print $1}' | sed 's/^linux-image-//' | sort -V | tail -n 1)

pkgs="build-essential make gcc libc6-dev pkg-config python3
	linux-headers-cloud-amd64 linux-image-cloud-amd64 linux-source-6.1
	linux-headers-rt-amd64
	bc bison flex libelf-dev libssl-dev dwarves kmod cpio xz-utils zstd rsync
	qemu-system-x86 busybox-static file
	libnl-3-dev libnl-genl-3-dev libcmocka-dev libncurses-dev tmux
	clang libclang-rt-14-dev
	sparse dkms
	debhelper dh-dkms lintian dpkg-dev
	libfalcosecurity0-dev sysdig
	libnats-dev nats-server
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm"
if [ -n "$k612" ]; then
	pkgs="$pkgs linux-headers-$k612 linux-image-$k612"
fi

# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "install-deps: ok${k612:+ (6.12 kernel: $k612)}"
