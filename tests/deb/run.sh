#!/bin/bash
# The Debian packages as a user gets them: build them (make deb, lintian),
# install them on this machine, check that DKMS built kscap.ko for the
# 6.1 and 6.12 cloud kernels, build the README's libkscap example against
# the installed libkscap-dev with pkg-config, run the installed scapdump
# on a capture file, then purge them and check that nothing is left: the
# packages' files, /usr/src, /var/lib/dkms and /lib/modules are as before;
# last, boot the VM test bed (6.1) with the module DKMS built.
#
# Installing on the host (no chroot): it needs root, and refuses to run
# when a kscap package or DKMS tree is already there (it would not be
# ours to remove). DKMS signs with a throwaway key, not /var/lib/dkms/mok.*.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/vm/kernels.sh
. "$repo/tests/vm/kernels.sh"
pkgs="kscap-tools libkscap-dev libkscap2 kscap-dkms"
failed=0
pass() { echo "PASS: deb/$1"; }
fail() { echo "FAIL: deb/$1: $2"; failed=1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: deb/install: needs root (installs the packages on this machine)"
	exit 0
fi
for t in dpkg-buildpackage dh_dkms lintian dkms; do
	command -v "$t" >/dev/null || { fail tools "$t missing (scripts/install-deps.sh)"; exit 1; }
done
ver=$(make -s -C "$repo" version)
for p in $pkgs; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed\|config-files'; then
		fail install "$p is already on this machine: not ours to purge"
		exit 1
	fi
done
if [ -e "/usr/src/kscap-$ver" ] || [ -e /var/lib/dkms/kscap ]; then
	fail install "/usr/src/kscap-$ver or /var/lib/dkms/kscap already exists"
	exit 1
fi

tmp=$(mktemp -d /tmp/kscap-deb.XXXXXX)
# What the machine looks like where the packages write.
snapshot() {
	find /usr/src /var/lib/dkms /lib/modules /etc/dkms -xdev \
		-not -path '/usr/src/linux-*' 2>/dev/null | sort
}
purge() {
	# shellcheck disable=SC2086
	mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub \
		dpkg --purge $pkgs >"$tmp/purge.log" 2>&1
}
cleanup() {
	dpkg-query -W kscap-dkms >/dev/null 2>&1 && purge
	rm -rf "$tmp"
}
trap cleanup EXIT

# Build (make deb runs lintian and fails on an error).
if (cd "$repo" && make -s deb) >"$tmp/build.log" 2>&1; then
	pass build
else
	grep -E '^E: |error' "$tmp/build.log" | head -n 5 >&2
	fail build "make deb: $(grep -m1 -E '^E: |rror' "$tmp/build.log")"
	exit 1
fi
debs=$(for p in $pkgs; do ls "$repo"/build/deb/"${p}"_"$ver"_*.deb; done)
lintian --fail-on error $debs >"$tmp/lintian.log" 2>&1
if grep -q '^E: ' "$tmp/lintian.log"; then
	fail lintian "$(grep -m3 '^E: ' "$tmp/lintian.log" | tr '\n' ' ')"
else
	pass lintian
	grep '^W: ' "$tmp/lintian.log" >&2
fi

snapshot >"$tmp/before"
t0=$(date +%s)
# shellcheck disable=SC2086
if ! mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub \
	dpkg -i $debs >"$tmp/install.log" 2>&1; then
	fail install "dpkg -i: $(grep -m2 -iE 'error|depends' "$tmp/install.log" | tr '\n' ' ')"
	exit 1
fi
pass install
echo "deb: installed in $(($(date +%s) - t0))s" >&2
# shellcheck disable=SC2086
dpkg -L $pkgs | sort -u >"$tmp/files"

# DKMS: the postinst builds for the running kernel and the newest (or,
# when the running kernel is not installed, for all); build the others
# we support the way a user would, with dkms install.
for k in 6.1 6.12; do
	if ! kscap_kernel "$k"; then
		fail "dkms-$k" "$KERR"
		continue
	fi
	if ! dkms status -m kscap -v "$ver" -k "$KREL" | grep -q ': installed'; then
		mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub \
			dkms install -m kscap -v "$ver" -k "$KREL" >"$tmp/dkms-$k.log" 2>&1
	fi
	ko=$(find "/lib/modules/$KREL" -name 'kscap.ko*' 2>/dev/null | head -n 1)
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	mver=$(modinfo -F version "$ko" 2>/dev/null)
	if [ -z "$ko" ]; then
		fail "dkms-$k" "no kscap.ko under /lib/modules/$KREL: $(tail -n 2 "$tmp/dkms-$k.log" 2>/dev/null)"
	elif [ "${vermagic%% *}" != "$KREL" ] || [ "$mver" != "$ver" ]; then
		fail "dkms-$k" "$ko: vermagic '$vermagic', version '$mver' (want $KREL, $ver)"
	else
		pass "dkms-$k"
	fi
done

# DKMS's 6.1 module, kept for a boot in the VM test bed after the purge.
kscap_kernel 6.1 && ko=$(find "/lib/modules/$KREL" -name 'kscap.ko*' | head -n 1)
case ${ko:-} in
*.ko) cp "$ko" "$tmp/kscap-dkms.ko" ;;
*.ko.xz) xz -dc "$ko" >"$tmp/kscap-dkms.ko" ;;
*.ko.zst) zstd -qdc "$ko" >"$tmp/kscap-dkms.ko" ;;
esac

# The README's example, against the installed headers and library.
awk '/^## Using libkscap/ { on = 1 } on && /^```c$/ { grab = 1; next }
     grab && /^```$/ { exit } grab' "$repo/README.md" >"$tmp/example.c"
if ! grep -q kscap_open "$tmp/example.c"; then
	fail example "no C example under '## Using libkscap' in README.md"
elif ! (cd "$tmp" && cc example.c $(pkg-config --cflags --libs libkscap) -o example) \
	>"$tmp/cc.log" 2>&1; then
	fail example "$(head -n 3 "$tmp/cc.log" | tr '\n' ' ')"
# (ldd's output first: grep -q would end the pipe early, and pipefail
# would count ldd's SIGPIPE as a failure)
elif ! grep -qE 'libkscap.so.2 => (/usr)?/lib/' <<<"$(ldd "$tmp/example")"; then
	fail example "not linked to the installed libkscap.so.2: $(ldd "$tmp/example" | grep kscap)"
else
	pass example
fi

# The installed tools on a capture file (557 events, the last numbered 557).
out=$(/usr/bin/scapdump -r "$repo/tests/data/sysdig-falco.scap" 2>/dev/null)
if [ "$(tail -n 1 <<<"$out" | cut -d' ' -f1)" = 557 ] &&
   grep -qE 'libkscap.so.2 => (/usr)?/lib/' <<<"$(ldd /usr/bin/scapdump)" &&
   [ -f /usr/share/bash-completion/completions/scapdump ] &&
   [ -f /usr/share/man/man8/scapdump.8.gz ] && [ -f /usr/share/man/man3/libkscap.3.gz ]; then
	pass tools
else
	fail tools "scapdump -r: last line '$(tail -n 1 <<<"$out" | cut -c1-60)', $(ldd /usr/bin/scapdump | grep kscap)"
fi

# Purge, and look for anything left.
if purge; then pass purge; else fail purge "$(tail -n 3 "$tmp/purge.log" | tr '\n' ' ')"; fi
left=$(while read -r f; do [ -e "$f" ] && [ ! -d "$f" ] && echo "$f"; done <"$tmp/files")
snapshot >"$tmp/after"
if [ -n "$left" ]; then
	fail clean "left behind: $(head -n 5 <<<"$left" | tr '\n' ' ')"
elif ! diff -q "$tmp/before" "$tmp/after" >/dev/null; then
	fail clean "changed: $(diff "$tmp/before" "$tmp/after" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
elif dpkg-query -W $pkgs >/dev/null 2>&1; then
	fail clean "dpkg still knows $(dpkg-query -W $pkgs 2>/dev/null | tr '\n' ' ')"
else
	pass clean
fi
# The VM test bed boots 6.1 with the module DKMS built: it loads and
# captures (vm-6.1/load and scapdump_names, reported as deb/vm-...).
if [ -s "$tmp/kscap-dkms.ko" ]; then
	KSCAP_VM_KO=$tmp/kscap-dkms.ko "$repo/tests/vm/run.sh" --kernel 6.1 \
		--only load,scapdump_names >"$tmp/vm.log" 2>&1
	if grep -q '^PASS: vm-6.1/load' "$tmp/vm.log" &&
	   ! grep -q '^FAIL: ' "$tmp/vm.log"; then
		pass vm-6.1
	else
		fail vm-6.1 "$(grep -m2 '^FAIL: ' "$tmp/vm.log" | tr '\n' ' ')"
	fi
else
	fail vm-6.1 "no DKMS-built kscap.ko for 6.1 was kept"
fi
exit $failed
