#!/bin/sh
# A consumer writing nonsense tails: counted, ignored, nothing broken.
. /kscap/t/lib.sh
kt_load ring_size=65536
kt_prog badtail 65536
kt_unload
kt_pass
