#!/bin/sh
# The remaining rows decoded end to end: epoll_wait, select, signalfd and
# signalfd4, and the parameterless getsockname/getpeername/sendmmsg/recvmmsg.
. /kscap/t/lib.sh
kt_load
kt_prog fam_wait
kt_unload
kt_pass
