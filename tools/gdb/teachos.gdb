# GDB commands for TeachOS, loaded by the generated .gdbinit (make gdb).
#
#   break-trap VECTOR [RING]  stop in the C# trap dispatcher when a trap with that vector arrives
#                       (from code in that ring only, if RING is given: 0 kernel, 3 user)
#                       (0 = #DE, 3 = #BP, 13 = #GP, 14 = #PF, 48 = timer, 33 = keyboard, 128 = int 0x80,
#                       256 = the `syscall` instruction: both stop in the syscall dispatcher)
#   trapframe [ADDR]    print the TrapFrame at ADDR (default: rdi, the dispatcher's argument, which
#                       is right when stopped by break-trap)
#
# The TrapFrame layout is kernel/Arch/X64/TrapFrame.cs (the stubs get it from build/generated/layout.inc):
# 15 registers, vector, error code, then what the CPU pushed (rip, cs, rflags, rsp, ss), 8 bytes each.

define break-trap
  # Step 3 of the trap path: system calls (int 0x80, and the `syscall` instruction's mark 256) go
  # to the syscall dispatcher, every other vector to the trap dispatcher. Both take the TrapFrame in rdi.
  if $argc == 1 || $argc == 2
    if $arg0 == 128 || $arg0 == 256
      set $teachos_trap_target = (unsigned long) &syscall_dispatch
    else
      set $teachos_trap_target = (unsigned long) &trap_dispatch
    end
  end
  if $argc == 1
    # A hardware breakpoint at the dispatcher's very first instruction, where rdi is still the frame.
    hbreak *$teachos_trap_target if *(unsigned long *)($rdi + 15 * 8) == $arg0
  else
    if $argc == 2
      # ... and the interrupted code ran in ring RING (the low bits of the saved CS, $tf[18]).
      hbreak *$teachos_trap_target if *(unsigned long *)($rdi + 15 * 8) == $arg0 && (*(unsigned long *)($rdi + 18 * 8) & 3) == $arg1
    else
      echo usage: break-trap VECTOR [RING]\n
    end
  end
end
document break-trap
Stop at the C# trap dispatcher (Traps/TrapDispatcher.cs; for 128 and 256, the syscall dispatcher,
Syscalls/SyscallDispatcher.cs) when a trap with vector VECTOR arrives,
and with RING (0 kernel, 3 user) only when it interrupted code running in that ring:
break-trap 14 3 stops at a user program's page fault, not at the kernel's own.
Then `trapframe` shows what the CPU and the entry stub saved, and `bt` goes through it.
end

define trapframe
  if $argc == 1
    set $tf = (unsigned long *) ($arg0)
  else
    set $tf = (unsigned long *) $rdi
  end
  printf "TrapFrame at %p\n", $tf
  printf "  vector %lu, error code 0x%lx\n", $tf[15], $tf[16]
  printf "  interrupted: rip 0x%016lx  cs 0x%lx (ring %lu)  rflags 0x%lx\n", $tf[17], $tf[18], $tf[18] & 3, $tf[19]
  printf "               rsp 0x%016lx  ss 0x%lx\n", $tf[20], $tf[21]
  printf "  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", $tf[14], $tf[13], $tf[12]
  printf "  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", $tf[11], $tf[10], $tf[9]
  printf "  rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n", $tf[8], $tf[7], $tf[6]
  printf "  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", $tf[5], $tf[4], $tf[3]
  printf "  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", $tf[2], $tf[1], $tf[0]
  printf "  the trap frame itself is at %p: the kernel stack the CPU switched to\n", $tf
  printf "  interrupted code: "
  info symbol $tf[17]
end
document trapframe
Print a TeachOS TrapFrame (kernel/Arch/X64/TrapFrame.cs): trapframe [ADDRESS], default $rdi.
end
