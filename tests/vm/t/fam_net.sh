#!/bin/sh
# Network syscalls decoded end to end over 127.0.0.1, ::1 and unix
# sockets (path, abstract, socketpair): socket, bind, listen, connect,
# accept/accept4, sendto/recvfrom, sendmsg/recvmsg, get/setsockopt,
# shutdown, socketpair. SOCKADDR and SOCKTUPLE bytes, BYTEBUF data at the
# snaplen, sizes, option levels/names and DYN values; failing calls too.
. /kscap/t/lib.sh
kt_load
kt_prog fam_net
kt_unload
kt_pass
