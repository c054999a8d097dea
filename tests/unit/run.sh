#!/bin/sh
# Run the unit test programs given as arguments (default: build/test_*)
# and print one PASS:/FAIL:/SKIP: line per cmocka test, as the project's
# test-output contract says. A program that dies, or that a sanitizer
# stops, fails as a whole even if its tests passed. Exit 1 on any failure.
cd "$(dirname "$0")" || exit 2
if [ $# -eq 0 ]; then
	for t in build/test_*; do
		case $t in *.o) ;; *) set -- "$@" "$t" ;; esac
	done
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=97"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=97"
export CMOCKA_MESSAGE_OUTPUT=TAP
failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
for t in "$@"; do
	prog=$(basename "$t")
	prog=${prog#test_}
	"$t" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# cmocka TAP: "ok N - name", "not ok N - name" then "# reason" lines,
	# "not ok N # SKIP name".
	awk -v prog="$prog" '
		function flush() {
			if (pending != "") {
				print "FAIL: unit/" prog "/" pending ": " (why != "" ? why : "failed")
				pending = ""
			}
		}
		/^# skip-reason: / { skipwhy = substr($0, 16); next }
		/^ok [0-9]+ - / { flush(); sub(/^ok [0-9]+ - /, ""); print "PASS: unit/" prog "/" $0; next }
		/^not ok [0-9]+ # SKIP/ {
			flush(); sub(/^not ok [0-9]+ # SKIP */, "")
			print "SKIP: unit/" prog "/" $0 ": " (skipwhy != "" ? skipwhy : "skipped")
			skipwhy = ""; next
		}
		/^not ok [0-9]+ - / { flush(); sub(/^not ok [0-9]+ - /, ""); pending = $0; why = ""; next }
		/^# / && pending != "" && why == "" { why = substr($0, 3); next }
		END { flush() }
	' "$tmp/out"
	if grep -q '^not ok [0-9]* - ' "$tmp/out"; then
		failed=1
	elif [ $rc -ne 0 ]; then
		reason=$(grep -m1 -E 'ERROR: (Address|Leak)Sanitizer|runtime error|Assertion|Segmentation' "$tmp/err")
		echo "FAIL: unit/$prog: exit status $rc${reason:+: $reason}"
		failed=1
	fi
	if [ $rc -ne 0 ] && [ -n "$VERBOSE" ]; then
		cat "$tmp/out" "$tmp/err" >&2
	fi
done
exit $failed
