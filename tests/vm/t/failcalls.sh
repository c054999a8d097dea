#!/bin/sh
# Failed calls: what they would have written back is reported as Falco's
# driver reports a failure (fds -1, inode 0, limits and ids -1), never the
# garbage left in the caller's buffers.
. /kscap/t/lib.sh
kt_load
kt_prog failcalls
kt_unload
kt_pass
