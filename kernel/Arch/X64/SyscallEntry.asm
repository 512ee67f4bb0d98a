; The fast way into the kernel: the `syscall` instruction, and back out with `sysret`. The same five
; steps as every trap (TrapEntry.asm, beside this file; docs/guide/04-syscalls.md):
;
;   1. the CPU (below)                              4. Proc/TrapExit.cs: the work due on the way back
;   2. this file: switch stacks, build the TrapFrame   (preemption, a pending kill)
;   3. Syscalls/SyscallDispatcher.cs                5. this file: restore the frame, sysret
;
; Steps 3 and 4 are one call here (SyscallDispatcher.DispatchAndExit): the same C# as trap_common's
; two calls, compiled into one function, because the cheapest syscall is mostly entry and exit.
;
; Step 1 (AMD64 manual vol. 2, 6.1.1; Intel SDM vol. 2B, SYSCALL): unlike `int 0x80`, `syscall` does
; not touch the stack or the IDT at all. It saves the return address in rcx and the flags in r11,
; loads CS/SS for ring 0 from MSR STAR and RIP from MSR LSTAR (this routine, Arch/X64/SyscallMsrs.cs),
; and clears the flags named in MSR SFMASK (IF among them: no interrupt until we have a stack).
; So the first instructions run in ring 0 *on the user's stack pointer*. We must switch to this
; thread's kernel stack ourselves, and we find it through GS (Arch/X64/ProcessorLocal.cs).
; Offsets, selectors and the register pushes come from the generated layout.inc (tools/AsmLayout).

bits 64
section .text

%include "layout.inc"

extern syscall_dispatch_and_exit, trap_return
global syscall_entry
syscall_entry:
    ; Step 2.
    swapgs                              ; GS now points at this CPU's kernel data
    mov [gs:GS_USER_STACK_SCRATCH], rsp
    mov rsp, [gs:GS_KERNEL_STACK_TOP]   ; this thread's kernel stack

    push SELECTOR_USER_DATA             ; the same five values the CPU pushes on an interrupt
    push qword [gs:GS_USER_STACK_SCRATCH]
    push r11                            ; the user's flags
    push SELECTOR_USER_CODE
    push rcx                            ; the user's return address
    push 0                              ; no error code
    push VECTOR_SYSCALL_INSTRUCTION     ; not a vector: tells readers of the frame which door it came by
    FRAME_PUSH_REGISTERS
    ; No cld: the System V ABI wants the direction flag clear in C#, and `syscall` has cleared it
    ; already (SFMASK has DF, Arch/X64/SyscallMsrs.cs). TrapEntry.asm needs its cld: an interrupt
    ; gate does not touch DF.

    ; No fxsave here: a syscall is a function call for the user program, so by the calling
    ; convention its SSE registers are already dead. (A trap that interrupts the program at an
    ; arbitrary instruction, like the timer, must save them; see TrapEntry.asm.)
    ; The call needs rsp 16-byte aligned, and it is: the kernel stack's top is page-aligned and
    ; the frame is 22 eight-byte words (TrapFrame.Size = 176 = 11 * 16).
    mov rbx, rsp                        ; rbx = the TrapFrame (callee-saved: survives the call)
    mov rdi, rbx
    call syscall_dispatch_and_exit      ; steps 3 and 4; interrupts on for the syscall's body, off again after
global syscall_dispatch_return, syscall_exit_return
syscall_dispatch_return:                ; debuggers recognise this address: rbx is the TrapFrame (tools/gdb)
syscall_exit_return:                    ; (two names for it: once there were two calls)
    ; rsp is the frame again (the call returned), so step 5 reads it through rsp.

    ; Step 5. sysret is only safe to a canonical address: sysret to a non-canonical rip faults
    ; *in ring 0 on the user's stack* (CVE-2012-0217). The frame may have been changed (a new
    ; thread, a signal-like redirect), so check, and fall back to iretq when in doubt. One compare
    ; tells: a user address has bits 63..47 all zero (the lower canonical half), so the upper half of
    ; rip (bits 63..32, the dword 4 bytes in, little-endian) is at most 0x7FFF.
    ; Interrupts are off since step 3 (Interrupts.Disable), as sysret needs: an interrupt after
    ; swapgs would run with the user's GS.
    cmp dword [rsp + FRAME_RIP + 4], 0x7FFF
    ja .return_with_iretq

    FRAME_POP_REGISTERS
    mov rcx, [rsp + FRAME_RIP - FRAME_REGISTERS_SIZE]       ; rip and rflags for sysret, from the frame
    mov r11, [rsp + FRAME_RFLAGS - FRAME_REGISTERS_SIZE]
    mov rsp, [rsp + FRAME_RSP - FRAME_REGISTERS_SIZE]       ; the user's stack: from here on nothing may trap
    swapgs
    o64 sysret

.return_with_iretq:
    jmp trap_return

global syscall_entry_address
syscall_entry_address:
    lea rax, [rel syscall_entry]
    ret
