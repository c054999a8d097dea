# kscap: top-level build.
#
#   make            module (kscap.ko), libkscap and the tools
#   make check      the whole test suite: lint, cmocka, KUnit, VM end-to-end
#   make demo       boot a VM, load kscap.ko and stream what scapdump captures
#   make bench      the overhead benchmark (tests/bench)
#   make stress     the long runs: fuzzing, abuse, load, lifecycle (tests/stress)
#   make install    headers, library, pkg-config file, tools, man pages
#   make deb        Debian packages in build/deb (kscap-dkms, libkscap2,
#                   libkscap-dev, kscap-tools), checked with lintian
#
# KDIR selects the kernel to build the module against: the running kernel's
# headers when they exist, else Debian's linux-headers-cloud-amd64 (6.1).
# `make ARCH=arm64` cross-builds for arm64 into build/arm64/ (README).

# Kbuild reads ./Kbuild when it enters this directory; this file is only
# for the userspace side and for driving Kbuild.

SHELL := /bin/bash
CURDIR_ABS := $(abspath .)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
DEBIAN_KDIR := $(shell ls -d /usr/src/linux-headers-6.1.*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR),$(DEBIAN_KDIR))

PREFIX ?= /usr/local
DESTDIR ?=
export PREFIX DESTDIR

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter
export CC CFLAGS WARNFLAGS

# The version: debian/changelog's first line, the only place it is written.
VERSION := $(shell sed -n '1s/^kscap (\([^)-]*\).*/\1/p' debian/changelog)
DEB_DIR := build/deb

.PHONY: all module lib tools check lint sparse checkpatch unit demo bench stress install \
	clean deb version

ifeq ($(ARCH),arm64)
# The cross build (scripts/cross-arm64.sh), out of the tree in build/arm64/:
# kscap.ko for Debian's arm64 cloud kernels (KSCAP_ARM64_KERNELS, default
# 6.1 and 6.12), libkscap and the tools, with gcc-aarch64-linux-gnu.
all:
	scripts/cross-arm64.sh module user

module:
	scripts/cross-arm64.sh module

lib tools:
	scripts/cross-arm64.sh user
else
all: module lib tools

module:
	@test -n "$(KDIR)" || { echo "kscap: no kernel headers found: install linux-headers-cloud-amd64 or set KDIR=" >&2; exit 2; }
	$(MAKE) -C $(KDIR) M=$(CURDIR_ABS) modules

lib:
	$(MAKE) -C userlib

tools: lib
	$(MAKE) -C tools
endif

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR_ABS) C=2 CF="-D__CHECK_ENDIAN__" modules 2>&1 | tee .sparse.log; \
	! grep -E '(warning|error):' .sparse.log

checkpatch:
	scripts/checkpatch.sh

lint: sparse checkpatch

unit: lib tools
	$(MAKE) -C tests/unit run

check:
	tests/run-all.sh

demo:
	tests/vm/demo.sh

bench:
	tests/bench/run.sh

stress:
	tests/stress/run.sh

install: lib tools
	$(MAKE) -C userlib install
	$(MAKE) -C tools install

version:
	@echo $(VERSION)

# Binary packages only (no source package): debian/rules straight, as
# dpkg-buildpackage -b would run it, on a copy of the sources (the
# working tree's own builds stay as they are), the .deb files in build/deb.
deb:
	dpkg-checkbuilddeps
	rm -rf $(DEB_DIR) build/deb-src && mkdir -p $(DEB_DIR) build/deb-src
	rsync -a --exclude=/build --exclude=.git --exclude='*.o' --exclude='*.ko' \
		--exclude=/tests ./ build/deb-src/
	cd build/deb-src && KSCAP_DEB_DIR=$(CURDIR_ABS)/$(DEB_DIR) debian/rules binary
	rm -rf build/deb-src
	lintian --fail-on error --info $(DEB_DIR)/*.deb

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR_ABS) clean 2>/dev/null || true
	$(MAKE) -C userlib clean
	$(MAKE) -C tools clean
	$(MAKE) -C tests/unit clean 2>/dev/null || true
	rm -f .sparse.log
