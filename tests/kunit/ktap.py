#!/usr/bin/env python3
"""Turn the console log of a KUnit VM run into kscap's test-output lines.

usage: ktap.py CONSOLE_LOG

Prints one "PASS: kunit/<suite>.<case>" / "FAIL: ..." / "SKIP: ..." line per
KUnit test case, then verdicts on the run itself (kunit/vm), on the kernel
log (kunit/kernel-log: any WARNING, BUG, Oops, KASAN, UBSAN, lockdep report,
sleep in atomic context, ...) and on kmemleak (kunit/kmemleak).
Exits 1 if anything failed, 0 otherwise.
"""
import re
import sys

MARK = "@@kscap: "

# What the kernel prints when one of its checkers fires. Any of these in the
# console means the kernel (or the code under test) did something wrong,
# whatever KUnit concluded.
PROBLEMS = re.compile(
    r"WARNING:|BUG:|Oops|KASAN:|UBSAN:|"
    r"possible circular locking|inconsistent lock state|"
    r"possible recursive locking|possible irq lock inversion|"
    r"lock held when returning|DEBUG_LOCKS_WARN_ON|"
    r"suspicious RCU usage|turning off the locking correctness validator|"
    r"sleeping function called from invalid context|scheduling while atomic|"
    r"Kernel panic|general protection fault|kernel NULL pointer|"
    r"unable to handle|Call Trace:|detected stall|"
    r"list_add corruption|list_del corruption")

# printk timestamp, if the kernel has PRINTK_TIME.
STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^( *)(ok|not ok) (\d+) (?:- )?(.*?)\s*$")
SUBTEST = re.compile(r"^( *)# Subtest: (\S+)")
PLAN = re.compile(r"^( *)1\.\.(\d+)")
DIAG = re.compile(r"^ *# ([A-Za-z0-9_]+): (.*\S)")
# The address kmemleak puts before each backtrace frame.
ADDR = re.compile(r"\[<[^>]*>\]\s*")
# run.sh builds in a mirror of the repository: show paths as in the repo.
BUILD_PATH = re.compile(r"(?<=\s)/\S*/(?=(?:tests|module)/)")


def clean(line):
    return STAMP.sub("", line.rstrip("\r\n").replace("\t", "    "))


def section(lines, name):
    """Lines between '@@kscap: <name> begin' and '... end', or None."""
    try:
        start = lines.index(MARK + name + " begin")
    except ValueError:
        return None
    try:
        end = lines.index(MARK + name + " end", start)
    except ValueError:
        end = len(lines)
    return lines[start + 1:end]


def parse_ktap(lines):
    """Return [(status, name, reason)] for every case of every suite."""
    out = []
    suite = None          # suite whose cases we are reading
    plan = None
    seen = 0
    diags = {}            # case or suite name -> its first diagnostic
    prev_diag = None      # case whose failure details follow
    extra = 0

    def close_suite(status_line_ok, reason):
        if suite is None:
            return
        if plan is not None and seen < plan:
            out.append(("FAIL", suite + ".<missing>",
                        "%d of %d cases never reported" % (plan - seen, plan)))
        elif not status_line_ok and seen == 0:
            out.append(("FAIL", suite, reason))

    for line in lines:
        m = SUBTEST.match(line)
        if m and len(m.group(1)) == 4:
            suite, plan, seen, prev_diag = m.group(2), None, 0, None
            continue
        m = PLAN.match(line)
        if m and suite and len(m.group(1)) == 4 and plan is None:
            plan = int(m.group(2))
            continue
        m = DIAG.match(line)
        if m:
            case, text = m.group(1), m.group(2)
            prev_diag = None
            if not text.startswith("pass:") and case not in diags:
                diags[case] = BUILD_PATH.sub("", text)
                if "FAILED at" in text:
                    prev_diag, extra = case, 0
            continue
        m = RESULT.match(line)
        if m:
            prev_diag = None
            indent, ok, desc = len(m.group(1)), m.group(2) == "ok", m.group(4)
            name, _, directive = desc.partition("#")
            name, directive = name.strip(), directive.strip()
            if indent == 4 and suite:
                seen += 1
                full = "%s.%s" % (suite, name)
                if directive.upper().startswith("SKIP"):
                    out.append(("SKIP", full, directive[4:].strip() or "skipped"))
                elif ok:
                    out.append(("PASS", full, ""))
                else:
                    out.append(("FAIL", full, diags.get(name, "failed")))
                diags.pop(name, None)
            elif indent == 0:
                # A suite's own result: "not ok N suite" with no cases
                # means its suite_init failed.
                if suite is None or name != suite:
                    suite, plan, seen = name, None, 0
                close_suite(ok, diags.pop(name, "suite failed"))
                suite, plan, seen = None, None, 0
            continue
        # The lines after "EXPECTATION FAILED at f.c:N" say what was
        # expected and what the values were, or carry the test's message.
        text = line.strip()
        if prev_diag in diags and extra < 3 and text:
            diags[prev_diag] += (": " if extra == 0 else " ") + text
            extra += 1
            continue
        prev_diag = None
    if suite is not None:
        close_suite(True, "")
    return out


def main():
    path = sys.argv[1]
    with open(path, errors="replace") as f:
        lines = [clean(l) for l in f]
    results = []

    marks = {l[len(MARK):] for l in lines if l.startswith(MARK)}
    dmesg = section(lines, "dmesg")
    cases = parse_ktap(dmesg if dmesg is not None else lines)
    results += [(s, "kunit/" + n, r) for s, n, r in cases]
    if not cases:
        results.append(("FAIL", "kunit/ktap", "no KUnit results in the log"))

    insmod = next((m for m in marks if m.startswith("insmod rc=")), None)
    if "done" in marks and insmod == "insmod rc=0" and "rmmod rc=0" in marks:
        results.append(("PASS", "kunit/vm", ""))
    elif "boot ok" not in marks:
        results.append(("FAIL", "kunit/vm", "the VM never reached /init"))
    elif insmod is None or "done" not in marks:
        results.append(("FAIL", "kunit/vm", "the run did not finish (crash or timeout)"))
    else:
        results.append(("FAIL", "kunit/vm", "%s, %s" % (
            insmod, next((m for m in marks if m.startswith("rmmod rc=")), "no rmmod"))))

    leaks = section(lines, "kmemleak")
    if leaks is None:
        results.append(("SKIP", "kunit/kmemleak", "kmemleak did not scan"))
    else:
        # One block per leaked object; only those the test module allocated
        # are ours (the kernel's boot leaves a few of its own).
        blocks, ours = [], []
        for l in leaks:
            if "unreferenced object" in l:
                blocks.append([])
            if blocks:
                blocks[-1].append(l)
        for b in blocks:
            frames = [ADDR.sub("", l).strip() for l in b if "[kscap_kunit]" in l]
            if frames:
                ours.append(frames[-1])
        results.append(("FAIL", "kunit/kmemleak", "%d leaked objects, first from %s" % (
            len(ours), ours[0])) if ours else ("PASS", "kunit/kmemleak", ""))

    # The kmemleak report is judged above, and the dmesg dump repeats what
    # the console already showed: do not count either twice.
    skip = set()
    for name, body in (("kmemleak", leaks), ("dmesg", dmesg)):
        if body is not None:
            start = lines.index(MARK + name + " begin")
            skip |= set(range(start, start + len(body) + 2))
    bad = [l.strip() for i, l in enumerate(lines)
           if i not in skip and not l.startswith(MARK) and PROBLEMS.search(l)]
    if bad:
        first = sorted(set(bad), key=bad.index)
        results.append(("FAIL", "kunit/kernel-log", "%d problem lines, first: %s" % (
            len(bad), " | ".join(first[:2]))))
    else:
        results.append(("PASS", "kunit/kernel-log", ""))

    failed = 0
    for status, name, reason in results:
        print("%s: %s%s" % (status, name, ": " + reason if reason else ""))
        failed += status == "FAIL"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
