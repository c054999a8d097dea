#!/usr/bin/env python3
"""The benchmark's judge and report writer (run by tests/bench/run.sh).

  report.py --check LOG --scenario S --kind lat|storm|storm@Nk
      Print why one boot failed (nothing if it did its job): it finished,
      the workload ran every operation, the consumer read what the kernel
      wrote, the empty probe counted, the capture file was written, a
      paced storm (storm@Nk: N thousand calls/s per thread) kept to N.

  report.py --runs DIR --meta FILE --plan FILE [--results RESULTS.md]
      Print the report (markdown) of the boots listed in the plan
      ("MODE KIND SCENARIO" lines, consoles in DIR/MODE-KIND-SCENARIO.log)
      and, with --results, rewrite RESULTS.md: the header, the report, and
      whatever follows the notes marker in the old file, kept as it was.
"""
import argparse
import os
import re
import sys

OPS = ["getppid", "openclose", "read4k", "pipe", "udp", "poll", "fork",
       "forkexec"]
OP_TITLES = {
    "getppid": "getppid",
    "openclose": "open+close",
    "read4k": "read 4 KiB",
    "pipe": "pipe 64 B w+r",
    "udp": "UDP 64 B send+recv",
    "poll": "poll 4 fds",
    "fork": "fork+exit+wait",
    "forkexec": "fork+exec+wait",
}
SCENARIOS = ["none", "empty", "falco", "kscap", "kscap1", "dumpnull",
             "dumpfile", "dumptop", "dumppub", "sysnull", "sysfile"]
TITLES = {
    "none": "no tracer",
    "empty": "empty probe",
    "falco": "Falco",
    "kscap": "kscap",
    "kscap1": "kscap, wakeup 1 B",
    "dumpnull": "scapdump >null",
    "dumpfile": "scapdump >tmpfs",
    "dumptop": "scapdump --top",
    "dumppub": "scapdump --publish",
    "sysnull": "sysdig >null",
    "sysfile": "sysdig >tmpfs",
}
CONSUMERS = {"falco", "kscap", "kscap1", "dumpnull", "dumpfile", "dumptop",
             "dumppub", "sysnull", "sysfile"}
# Consumers that print totals at their end only (no snapshots).
TOTALS_ONLY = {"dumpnull", "dumpfile", "dumptop", "dumppub", "sysnull",
               "sysfile"}
# scapdump's added cost / sysdig's, same output, same run (icount).
DUMP_VS_SYSDIG = [("dumpnull", "sysnull", "null"), ("dumpfile", "sysfile", "tmpfs")]
DUMP_TARGET = 0.5
# scapdump --top may add no more than scapdump -w /dev/null; the
# allowance is the noise between two boots of the same thing (icount).
TOP_TARGET = 1.05
# The targets for kscap's added cost / Falco's (icount mode).
TARGET = {op: 0.5 for op in OPS}
TARGET["getppid"] = 0.3
NOTES_MARK = "<!-- notes: everything below is kept by report.py -->"


def kv(text):
    """'a=1 b=x' -> {'a': '1', 'b': 'x'}"""
    return dict(re.findall(r"(\w+)=(\S+)", text))


def parse(log):
    """Everything a boot said, from its console log."""
    r = {"ops": {}, "cons": [], "snaps": [], "errs": [], "end": False,
         "rc": {}, "storm": None, "hits": None, "file": None, "boot": {}}
    try:
        data = open(log, "rb").read().decode("utf-8", "replace")
    except OSError:
        r["errs"].append("no console log")
        return r
    for line in data.splitlines():
        line = line.rstrip("\r")
        m = re.match(r"^BENCH-(\w+)\s?(.*)$", line)
        if not m:
            continue
        tag, rest = m.groups()
        if tag == "OUT":
            if rest.startswith("wl-info "):
                r["info"] = kv(rest)
            elif rest.startswith("wl-op "):
                d = kv(rest)
                r["ops"][d["name"]] = {k: float(v) for k, v in d.items()
                                       if k != "name"}
            elif rest.startswith("wl-storm "):
                r["storm"] = kv(rest)
        elif tag == "CONS":
            if rest.startswith("cons-final "):
                r["cons"].append(kv(rest))
            elif rest.startswith("cons-snap "):
                r["snaps"].append(kv(rest))
            elif re.match(r"scapdump: \d+ events captured", rest):
                # scapdump's exit summary: "N events captured, M dropped
                # (...), K shown[, L of scapdump itself left out]"; with
                # no filter, read = shown + its own left out.
                m2 = re.match(r"scapdump: (\d+) events captured, (\d+) "
                              r"dropped .*?(\d+) shown(?:, (\d+) of "
                              r"scapdump itself left out)?", rest)
                if m2:
                    r["cons"].append({"written": m2.group(1),
                                      "dropped": m2.group(2),
                                      "read": str(int(m2.group(3)) +
                                                  int(m2.group(4) or 0))})
                r.setdefault("cons_text", []).append(rest)
            elif rest.startswith("Driver Events:"):
                # sysdig -v at its end: the driver's counts, then what
                # it read ("Captured Events").
                r["sysdig"] = {"written": rest.split(":", 1)[1].strip()}
            elif rest.startswith("Driver Drops:") and "sysdig" in r:
                r["sysdig"]["dropped"] = rest.split(":", 1)[1].strip()
            elif rest.startswith("Elapsed time:") and "sysdig" in r:
                m2 = re.search(r"Captured Events: (\d+)", rest)
                if m2:
                    r["sysdig"]["read"] = m2.group(1)
                    r["cons"].append(r["sysdig"])
            elif rest.startswith("scapdump: published "):
                # --publish: "published N events ...; dropped M events"
                m2 = re.match(r"scapdump: published (\d+) events.*; dropped "
                              r"(\d+) events", rest)
                if m2:
                    r["pub"] = {"published": m2.group(1),
                                "dropped": m2.group(2)}
                r.setdefault("cons_text", []).append(rest)
            else:
                r.setdefault("cons_text", []).append(rest)
        elif tag == "CPU":
            r["cpu"] = kv(rest)
        elif tag == "HITS":
            r["hits"] = kv(rest)
        elif tag == "FILE":
            r["file"] = kv(rest)
        elif tag == "RC":
            r["rc"] = kv(rest)
        elif tag == "ERR":
            r["errs"].append(rest)
        elif tag == "BOOT":
            r["boot"] = kv(rest)
        elif tag == "END":
            r["end"] = True
    return r


def storm_rate(kind):
    """A storm pass's rate per thread from its kind: storm (flat out) 0,
    storm@100k 100000; None for a latency boot."""
    m = re.match(r"^storm(?:@(\d+)k)?$", kind)
    if not m:
        return None
    return int(m.group(1) or 0) * 1000


def num(d, k):
    try:
        return int(d[k])
    except (KeyError, ValueError, TypeError):
        return None


def check(log, scenario, kind):
    """The reason a boot failed, or ''."""
    if kind != "lat" and storm_rate(kind) is None:
        return "unknown kind '%s'" % kind
    r = parse(log)
    if r["errs"]:
        return r["errs"][0]
    if not r["end"]:
        return ""	# run.sh reports the missing end marker with qemu's status
    if r["rc"].get("workload") != "0":
        return "workload exited with status %s" % r["rc"].get("workload")
    if kind == "lat":
        # run.sh --ops: the workload ran (and says it ran) only those.
        want = r.get("info", {}).get("only")
        want = want.split(",") if want else OPS
        missing = [op for op in want if op not in r["ops"]]
        if missing:
            return "workload reported no result for " + ",".join(missing)
        bad = [op for op in want if not r["ops"][op].get("median", 0) > 0]
        if bad:
            return "non-positive time for " + ",".join(bad)
    else:
        if not r["storm"] or not num(r["storm"], "calls"):
            return "the storm made no calls"
        want, got = storm_rate(kind), num(r["storm"], "rate")
        if got != want:
            return "the storm ran at rate=%s, its boot asked for %d" % (
                r["storm"].get("rate"), want)
        # Paced: each thread makes at most a thousandth of the rate per
        # millisecond of its run (it never catches up in a burst).
        calls, cpus = num(r["storm"], "calls"), num(r["storm"], "cpus")
        secs = float(r["storm"].get("seconds", 0))
        if want and calls > cpus * want * (secs + 0.001):
            return "a storm paced to %d/s per thread made %d calls in " \
                "%.3f s on %d CPUs" % (want, calls, secs, cpus)
    if scenario in CONSUMERS:
        if r["rc"].get("consumer") != "0":
            return "consumer exited with status %s: %s" % (
                r["rc"].get("consumer"),
                " ".join(r.get("cons_text", []))[:200])
    if scenario in CONSUMERS:
        if not r["cons"]:
            return "consumer printed no final counts: " + " ".join(
                r.get("cons_text", []))[:200]
        c = r["cons"][-1]
        read, written = num(c, "read"), num(c, "written")
        if not read:
            return "consumer read no events"
        if scenario in ("sysnull", "sysfile"):
            # sysdig reports what it read and the driver's counts at
            # different moments: only a read beyond them is wrong.
            if read > written + 8:
                return "sysdig read %d events, the driver wrote %d" % (
                    read, written)
        elif scenario == "falco":
            # libscap may leave the few events its own stop ioctl
            # produces unread; more than that is a loss.
            if read > written or written - read > 8:
                return "consumer read %d events, the driver wrote %d" % (
                    read, written)
        elif read != written:
            return "consumer read %d events, kscap wrote %d" % (read, written)
        if kind != "lat" and len(r["snaps"]) < 2 and \
                scenario not in TOTALS_ONLY:
            return "consumer printed %d snapshots, want 2" % len(r["snaps"])
    if scenario == "empty":
        h = r["hits"] or {}
        b, a = num(h, "before"), num(h, "after")
        # At least an enter and an exit per getppid of the workload.
        want = 2 * int(r["ops"].get("getppid", {}).get("iters", 0)) \
            if kind == "lat" else 2 * (num(r["storm"], "calls") or 0)
        if b is None or a is None or a - b < want:
            return "empty probe counted %s hits, want at least %d" % (
                (a - b) if a is not None and b is not None else "no", want)
    if scenario in ("dumpfile", "sysfile"):
        if not r["file"] or not num(r["file"], "bytes"):
            return "%s wrote no capture file" % (
                "sysdig" if scenario == "sysfile" else "scapdump")
    if scenario == "dumppub":
        if not r.get("pub") or not num(r["pub"], "published"):
            return "scapdump published nothing: " + " ".join(
                r.get("cons_text", []))[:200]
    return ""


# ------------------------------------------------------------------ report

def fmt_ns(v):
    if v is None:
        return "-"
    return "%.0f" % v if abs(v) >= 100 else "%.1f" % v


def spread(o):
    """Half the interquartile range / half the whole range (max - min)
    over the rounds, as percentages of the median: the second shows an
    outlying round the first hides."""
    if not o or not o.get("median"):
        return ""
    return "±%.1f%%/%.1f%%" % (50.0 * (o["q3"] - o["q1"]) / o["median"],
                               50.0 * (o["max"] - o["min"]) / o["median"])


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def lat_table(mode, runs):
    """One table: ns/op per scenario with the added cost, and the ratios."""
    present = [s for s in SCENARIOS if (mode, "lat", s) in runs]
    if not present:
        return []
    base = runs.get((mode, "lat", "none"))
    out = []
    if mode == "icount":
        out.append("### icount mode: `-icount shift=0`, 1 vCPU, guest ns "
                   "per operation (1 ns = 1 instruction)")
        out.append("")
        out.append("The consumer shares the only vCPU with the workload, so "
                   "its cost (reading and counting every event) is in these "
                   "times too.")
    else:
        out.append("### tcg mode: multi-threaded TCG, 2 vCPUs, wall-clock "
                   "ns per operation")
        out.append("")
        out.append("Workload on vCPU 0, consumer on vCPU 1. Emulated wall "
                   "clock on a shared host: read the spread before the digits.")
    out.append("")
    head = ["operation"] + [TITLES[s] for s in present]
    have_ratio = "kscap" in present and "falco" in present
    have_floor = "kscap" in present and "empty" in present
    have_top = "dumptop" in present and "dumpnull" in present
    vs_sysdig = [(d, y, t) for d, y, t in DUMP_VS_SYSDIG
                 if d in present and y in present]
    if have_ratio:
        head.append("kscap/Falco")
    if have_floor:
        head.append("kscap/empty")
    if have_ratio and mode == "icount":
        head.append("target")
    if have_top:
        head.append("top/null")
    for d, y, t in vs_sysdig:
        head.append("scapdump/sysdig %s" % t)
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for op in OPS:
        if not any(op in runs[(mode, "lat", s)]["ops"] for s in present):
            continue	# not run (run.sh --ops)
        b = base["ops"].get(op, {}).get("median") if base else None
        row = [OP_TITLES[op]]
        added = {}
        for s in present:
            o = runs[(mode, "lat", s)]["ops"].get(op)
            if not o:
                row.append("-")
                continue
            cell = fmt_ns(o["median"])
            if s != "none" and b is not None:
                added[s] = o["median"] - b
                cell += " (%+.0f)" % added[s]
            cell += " " + spread(o)
            row.append(cell)
        rf = ratio(added.get("kscap"), added.get("falco"))
        re_ = ratio(added.get("kscap"), added.get("empty"))
        if have_ratio:
            row.append("%.2f" % rf if rf is not None else "n/a")
        if have_floor:
            row.append("%.1f" % re_ if re_ is not None else "n/a")
        if have_ratio and mode == "icount":
            t = TARGET[op]
            row.append(("≤%.1f: " % t) + ("met" if rf is not None and rf <= t
                                           else "missed"))
        if have_top:
            rt = ratio(added.get("dumptop"), added.get("dumpnull"))
            row.append(("%.2f" % rt if rt is not None else "n/a") + (
                (" (≤%.2f: %s)" % (TOP_TARGET, "met" if rt is not None and
                                  rt <= TOP_TARGET else "missed"))
                if mode == "icount" else ""))
        for d, y, t in vs_sysdig:
            rs = ratio(added.get(d), added.get(y))
            row.append(("%.2f" % rs if rs is not None else "n/a") + (
                (" (≤%.1f: %s)" % (DUMP_TARGET, "met" if rs is not None and
                                  rs <= DUMP_TARGET else "missed"))
                if mode == "icount" else ""))
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("Cells: median ns per operation (added cost over no tracer) "
               "±IQR/RANGE: half the interquartile range and half the "
               "whole range (max - min) over the rounds, in % of the "
               "median. Between boots a row may move more (one boot per "
               "scenario; see the notes). kscap/Falco and kscap/empty divide kscap's added "
               "cost by Falco's and by the empty probe's; top/null divides "
               "scapdump --top's by scapdump -w /dev/null's, "
               "scapdump/sysdig scapdump -w's by sysdig -w's to the same "
               "place.")
    out.append("")
    return out


def storm_table(runs, kind):
    """One storm pass's table: flat out (kind storm) or paced (storm@Nk)."""
    present = [s for s in SCENARIOS if ("tcg", kind, s) in runs]
    if not present:
        return []
    rate = storm_rate(kind)
    if rate:
        cpus = {num(runs[("tcg", kind, s)]["storm"], "cpus") for s in present}
        cpus = cpus.pop() if len(cpus) == 1 else None
        title = ("### Throughput, paced at %d calls/s per storm thread "
                 "(%s): a getppid storm on every vCPU%s" % (
                     rate, kind, ", %d syscalls/s in all" % (cpus * rate)
                     if cpus else ""))
    else:
        title = ("### Throughput, flat out (%s): a getppid storm on every "
                 "vCPU, each thread as fast as it goes" % kind)
    out = [title + " (tcg mode, 2 vCPUs, 8 MiB buffer per CPU)", ""]
    out.append("| scenario | syscalls/s | events/s produced | events/s "
               "delivered | events dropped | dropped % |")
    out.append("|---|---|---|---|---|---|")
    for s in present:
        r = runs[("tcg", kind, s)]
        st = r["storm"] or {}
        calls, secs = num(st, "calls"), float(st.get("seconds", 0) or 0)
        sps = calls / secs if calls and secs else None
        prod = deliv = drop = pct = None
        if len(r["snaps"]) >= 2:
            a, b = r["snaps"][0], r["snaps"][-1]
            dt = (num(b, "ns") - num(a, "ns")) / 1e9
            dw = num(b, "written") - num(a, "written")
            dd = num(b, "dropped") - num(a, "dropped")
            dr = num(b, "read") - num(a, "read")
            if dt > 0:
                prod = (dw + dd) / dt
                deliv = dr / dt
                drop = dd
                pct = 100.0 * dd / (dw + dd) if dw + dd else 0.0
        elif s == "empty" and r["hits"] and secs:
            h = r["hits"]
            prod = (num(h, "after") - num(h, "before")) / secs
        elif r["cons"] and secs:
            # scapdump: no snapshots; its totals over the storm (the
            # drain after it delivers everything written, so no rate).
            c = r["cons"][-1]
            drop = num(c, "dropped")
            prod = (num(c, "written") + drop) / secs
            pct = 100.0 * drop / (num(c, "written") + drop or 1)
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            TITLES[s],
            "%.0f" % sps if sps else "-",
            "%.0f" % prod if prod is not None else "-",
            "%.0f" % deliv if deliv is not None else "-",
            "%d" % drop if drop is not None else "-",
            "%.1f" % pct if pct is not None else "-"))
    pub = runs.get(("tcg", kind, "dumppub"), {}).get("pub")
    st = (runs.get(("tcg", kind, "dumppub")) or {}).get("storm") or {}
    secs = float(st.get("seconds", 0) or 0)
    if pub and secs:
        out.append("")
        out.append("scapdump --publish (JetStream on the guest's loopback, "
                   "nats-server on the consumer's vCPU): %d events published "
                   "(%.0f/s over the storm), %d dropped by the publisher "
                   "(local buffer full); the row's drops are the rings'." % (
                       num(pub, "published"), num(pub, "published") / secs,
                       num(pub, "dropped")))
    out.append("")
    out.append("Rates between the consumer's two snapshots, taken just "
               "before and just after the storm; produced = written + "
               "dropped by the kernel side. scapdump takes no snapshots: "
               "its row is its totals over the storm.%s" % (
                   " Paced: the rows whose syscalls/s reached the rate "
                   "faced the same load, and their drops compare; a row "
                   "short of it was held back by its tracer." if rate
                   else ""))
    out.append("")
    return out


def consumer_table(runs, plan):
    """Each consumer's CPU time per event read and its peak RSS."""
    rows = []
    for (m, k, s) in plan:
        r = runs.get((m, k, s))
        if not r or s not in CONSUMERS or not r.get("cpu") or not r["cons"]:
            continue
        ns, read = num(r["cpu"], "ns"), num(r["cons"][-1], "read")
        peak = max(num(r["cpu"], "hwm_kb") or 0, num(r["cpu"], "rss_kb") or 0)
        anon = num(r["cpu"], "anon_kb")
        if ns is None or not read:
            continue
        rows.append("| %s | %s | %s | %.0f | %.1f | %s | %s |" % (
            m, k, TITLES[s], ns / read, ns / 1e6, peak or "-",
            anon if anon is not None else "-"))
    if not rows:
        return []
    out = ["### Consumers: CPU time per event and peak RSS", "",
           "| mode | kind | consumer | CPU ns per event | CPU ms | peak RSS KiB | anonymous KiB |",
           "|---|---|---|---|---|---|---|"]
    out += rows
    out.append("")
    out.append("CPU: the consumer's time on a CPU (schedstat) while the "
               "workload ran, divided by the events it read over the boot "
               "(in icount mode, 1 ns = 1 instruction). Peak RSS: VmHWM, or "
               "the RSS smaps_rollup counts if larger, when the workload "
               "ended; it holds the rings where the driver maps them as pages "
               "(kscap: each ring twice, 16 MiB per CPU once touched; Falco's "
               "scap.ko maps them as raw page frames, not counted). "
               "Anonymous: the consumer's own memory (heap, stacks).")
    out.append("")
    return out


def events_table(runs, plan):
    out = ["### Events per boot", "",
           "| mode | kind | scenario | written | read | dropped | other |",
           "|---|---|---|---|---|---|---|"]
    for (m, k, s) in plan:
        r = runs.get((m, k, s))
        if not r:
            continue
        if s == "empty" and r["hits"]:
            h = r["hits"]
            out.append("| %s | %s | %s | %s (probe hits) | - | - | |" % (
                m, k, TITLES[s], num(h, "after") - num(h, "before")))
            continue
        if not r["cons"]:
            if s in CONSUMERS:
                extra = " ".join(r.get("cons_text", []))[:120]
                if r["file"]:
                    extra += " file %s bytes" % r["file"].get("bytes")
                out.append("| %s | %s | %s | ? | ? | ? | %s |" % (
                    m, k, TITLES[s], extra))
            continue
        c = dict(r["cons"][-1])
        other = " ".join("%s=%s" % (x, y) for x, y in c.items()
                         if x not in ("read", "written", "dropped"))
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            m, k, TITLES[s], c.get("written"), c.get("read"),
            c.get("dropped"), other))
    out.append("")
    return out


def meta_of(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            d[k] = v
    return d


def build_report(args):
    plan = []
    for line in open(args.plan):
        f = line.split()
        if len(f) == 3:
            plan.append(tuple(f))
    runs = {}
    missing = []
    for key in plan:
        r = parse(os.path.join(args.runs, "%s-%s-%s.log" % key))
        want = r.get("info", {}).get("only")  # run.sh --ops
        want = len(want.split(",")) if want else len(OPS)
        if (key[1] == "lat" and len(r["ops"]) == want) or \
           (storm_rate(key[1]) is not None and r["storm"]):
            runs[key] = r
        else:
            missing.append("-".join(key))
    meta = meta_of(args.meta)
    out = []
    out.append("## Overhead of syscall capture: %s" % meta.get("date", ""))
    out.append("")
    out.append("- commit: %s" % meta.get("commit", "?"))
    out.append("- host CPU: %s (load average at the end: %s)" % (
        meta.get("cpu", "?"), meta.get("load", "?")))
    out.append("- command: `%s` (rounds=%s, took %s)" % (
        meta.get("cmdline", "?"),
        meta.get("rounds", "?").replace(" ", ", "), meta.get("elapsed", "?")))
    out.append("- guest: Debian kernel %s, %s; Falco %s (scap.ko built from "
               "falcosecurity-scap-dkms, libscap from libfalcosecurity0)" % (
                   meta.get("kernel", "?"), meta.get("qemu", "?"),
                   meta.get("falco", "?")))
    if meta.get("scapdump") != "1":
        out.append("- scapdump scenarios skipped: tools/scapdump is not "
                   "built yet")
    out.append("")
    for mode in ("icount", "tcg"):
        out += lat_table(mode, runs)
    for kind in dict.fromkeys(k for (_, k, _) in plan if k != "lat"):
        out += storm_table(runs, kind)
    out += consumer_table(runs, plan)
    out += events_table(runs, plan)
    if missing:
        out.append("Boots without results: " + ", ".join(missing))
        out.append("")
    text = "\n".join(out)
    print(text)
    if args.results:
        kept = ""
        if os.path.exists(args.results):
            old = open(args.results).read()
            i = old.find(NOTES_MARK)
            if i >= 0:
                kept = old[i + len(NOTES_MARK):]
        with open(args.results + ".tmp", "w") as f:
            f.write("# kscap overhead benchmark: results\n\n")
            f.write("Written by `make bench` (tests/bench/run.sh); the notes "
                    "at the end are kept from one run to the next.\n\n")
            f.write(text.replace("## Overhead", "## Last run: overhead", 1))
            f.write("\n" + NOTES_MARK + kept)
        os.replace(args.results + ".tmp", args.results)
    if not runs:
        print("no boot produced results", file=sys.stderr)
        return 1
    if missing:
        print("boots without results: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check")
    ap.add_argument("--scenario")
    ap.add_argument("--kind", default="lat")
    ap.add_argument("--runs")
    ap.add_argument("--meta")
    ap.add_argument("--plan")
    ap.add_argument("--results")
    args = ap.parse_args()
    if args.check:
        why = check(args.check, args.scenario, args.kind)
        if why:
            print(why)
        return 0
    return build_report(args)


if __name__ == "__main__":
    sys.exit(main())
