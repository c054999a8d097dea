#!/bin/sh
# poll(): quiet on empty rings, POLLIN on data, wakes a blocked poller.
. /kscap/t/lib.sh
kt_load
kt_prog poll
kt_unload
kt_pass
