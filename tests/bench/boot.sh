# shellcheck shell=bash
# The benchmark VM's kernel command line, the same for every scenario
# (sourced by run.sh and profile.sh).
#   tsc=reliable: TCG's TSCs are the host's (or the instruction counter),
#     good clocks; without it the kernel falls back to the HPET, and every
#     timestamp a tracer takes becomes an emulated MMIO read.
#   cryptomgr.notests: the crypto self-tests are half of an emulated boot.
#   nokaslr norandmaps randomize_kstack_offset=off page_alloc.shuffle=0:
#     the same address-space layout in every boot. With a random stack
#     offset, some boots' workload stack crossed a page boundary around
#     fork(): one more copy-on-write fault in parent and child, ~14k
#     instructions more per fork, in any scenario (RESULTS.md notes).
# shellcheck disable=SC2034
bench_cmdline="console=ttyS0 panic=-1 loglevel=5 tsc=reliable cryptomgr.notests nokaslr norandmaps randomize_kstack_offset=off page_alloc.shuffle=0"
