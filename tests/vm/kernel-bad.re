WARNING:
BUG:
BUG kmalloc
kernel BUG at
Oops
general protection fault
Unable to handle kernel
unable to handle page fault
Kernel panic
KASAN
UBSAN
sleeping function called from invalid context
possible recursive locking detected
possible circular locking dependency
inconsistent lock state
possible irq lock inversion
lock held when returning to user space
suspicious RCU usage
INFO: task .* blocked for more than
rcu: INFO: .*detected stall
rcu_(sched|preempt) (self-)?detected stall
soft lockup
hard LOCKUP
list_(add|del) corruption
refcount_t:
double fault
stack-protector
stack guard page
Call Trace:
