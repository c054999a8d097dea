/* SPDX-License-Identifier: MIT */
/*
 * The scap capture file format, as far as libkscap writes and reads it.
 *
 * A file is a sequence of blocks, pcapng style, all little-endian:
 *
 *	u32 type | u32 total length | body | padding to 4 | u32 total length
 *
 * It starts with a section header block, then metadata blocks (machine,
 * process list, ...), then one block per event: u16 cpu, then the event
 * exactly as the ring holds it (header, u16 lengths, values).
 */
#ifndef KSCAP_CAPFMT_H
#define KSCAP_CAPFMT_H

#define SCAP_BT_SECTION		0x0A0D0D0AU
#define SCAP_SHB_MAGIC		0x1A2B3C4DU
#define SCAP_SHB_MAGIC_SWAPPED	0x4D3C2B1AU
#define SCAP_VERSION_MAJOR	1
#define SCAP_VERSION_MINOR	2

#define SCAP_BT_MACHINE		0x201U
#define SCAP_BT_FDLIST		0x203U
#define SCAP_BT_IFLIST		0x205U
#define SCAP_BT_USERLIST	0x206U
#define SCAP_BT_FDLIST_V2	0x218U	/* entries carry their own length */
#define SCAP_BT_IFLIST_V2	0x219U
#define SCAP_BT_USERLIST_V2	0x220U
#define SCAP_BT_PROCLIST_V9	0x215U	/* entries carry their own length */
#define SCAP_BT_EVENT_V2	0x216U	/* cpu, event */
#define SCAP_BT_EVENT_FLAGS_V2	0x217U	/* cpu, u32 flags, event */
#define SCAP_BT_EVENT_V2_LARGE	0x221U	/* u32 parameter lengths */
#define SCAP_BT_EVENT_FLAGS_V2_LARGE 0x222U

#define SCAP_BLOCK_OVERHEAD	12U	/* type, length, trailing length */
#define SCAP_SHB_BODY		16U	/* magic, major, minor, u64 section length */
#define SCAP_MACHINE_BODY	180U	/* u32 cpus, u64 memory, u64 max pid,
					 * char hostname[128], u64 boot time,
					 * u64 flags, u64 reserved[2] */
/*
 * kscap records the architecture the capture was taken on (its syscall
 * numbering) as the ELF machine number in the machine block's first
 * reserved u64, which Falco's readers ignore; 0 (Falco's writers, kscap
 * before 2.2) is read as x86_64.
 */
#define SCAP_MACHINE_ARCH_AT	164U
#define SCAP_HOSTNAME_LEN	128U

/* Readers of the format hold a non-large block (without its 8-byte
 * header) in a 64 KiB buffer. */
#define SCAP_MAX_BLOCK_READ	65536U

/* Bounds readers of the format put on process list strings. */
#define SCAP_MAX_PATH		1024U
#define SCAP_MAX_ARGS		4096U

/*
 * The state blocks (interfaces, users, fds). Each entry of the interface
 * list is a u32 length (not counting itself), u16 kind, u16 name length,
 * then for IPv4: u32 address, netmask, broadcast (network order), u64 link
 * speed; for IPv6: 16 bytes each of address, netmask, broadcast, u64 link
 * speed; then the name, no NUL.
 */
#define SCAP_II_IPV4		1
#define SCAP_II_IPV6		2
#define SCAP_MAX_IFNAME		64U
/* User list entries: u32 length (itself included), u8 kind; a user: u32
 * uid, u32 gid, then name, home and shell as u16-prefixed strings; a
 * group: u32 gid, name. Readers refuse strings of SCAP_MAX_CRED or more. */
#define SCAP_UL_USER		0
#define SCAP_UL_GROUP		1
#define SCAP_MAX_CRED		256U
#define SCAP_MAX_USERS		65536U	/* each of users and groups */
/* An fd list block: u64 tid, then entries: u32 length (itself included),
 * u64 fd, u64 inode, u8 kind, then by kind: FILE_V2: u32 open flags (the
 * ABI's FILE_FLAGS), name, u32 device; the others here: name. */
#define SCAP_FD_FILE_V2		16
#define SCAP_FD_IPV4_SOCK	3	/* u32 sip, dip, u16 sport, dport, u8 l4 */
#define SCAP_FD_IPV6_SOCK	4	/* the same with 16-byte addresses */
#define SCAP_FD_IPV4_SERVSOCK	5	/* u32 ip, u16 port, u8 l4 */
#define SCAP_FD_IPV6_SERVSOCK	6	/* 16-byte ip, u16 port, u8 l4 */
#define SCAP_FD_UNIX_SOCK	8	/* u64 source, u64 peer, name */
#define SCAP_L4_TCP		2
#define SCAP_L4_UDP		3
#define SCAP_FD_DIRECTORY	2
#define SCAP_FD_FIFO		7
#define SCAP_FD_EVENT		9
#define SCAP_FD_UNSUPPORTED	10
#define SCAP_FD_SIGNALFD	11
#define SCAP_FD_EVENTPOLL	12
#define SCAP_FD_INOTIFY		13
#define SCAP_FD_TIMERFD		14
#define SCAP_MAX_FDS		65536U	/* per process */

#endif /* KSCAP_CAPFMT_H */
