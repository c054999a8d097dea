# The sources of libkscap, shared by this Makefile and tests/unit.
KSCAP_LIB_SRCS := error.c sbuf.c table.c names.c flags.c event.c format.c \
	device.c ring.c threads.c procscan.c filter.c bbuf.c capwrite.c capstate.c capsock.c capread.c nl.c
# libnl-genl-3, for the netlink control client (nl.c).
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0)
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0)
