; The trap-and-emulate backend's way into a deprivileged guest and back out of it
; (kernel/Virt/TrapEmulate/TrapEmulation.cs). The guest runs in ring 3 like a program, but its
; traps do not end in a kill: they go to the emulator, which either changes the guest's TrapFrame
; and resumes it through the normal trap return (iretq), or stops the guest. Stopping must get back
; to the system call that started the guest, whose frames lie above on the same kernel stack: the
; guest's traps land below them because the thread's kernel stack top (TSS.RSP0) points below
; them while the guest runs. So entering saves the host's callee-saved registers and stack pointer
; (like setjmp), and leaving restores them (like longjmp), abandoning the trap's frames below.
;
;   long deprivileged_enter(ulong* hostStack, TrapFrame* first, ulong nestedTop)
;   void deprivileged_leave(ulong hostStack, long result)      (returns from deprivileged_enter)
;
; Called with interrupts off. The first entry copies the guest's starting TrapFrame to just below
; nestedTop, where the CPU itself would put a frame for a trap from ring 3, and goes out through
; trap_return (TrapEntry.asm step 5): it swaps to the user's GS base and executes iretq into ring 3.
bits 64
section .text

%include "layout.inc"

extern trap_return

global deprivileged_enter
deprivileged_enter:
    push rbp                        ; the System V callee-saved registers: deprivileged_leave
    push rbx                        ; pops them in the reverse order
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp                  ; where deprivileged_leave comes back to
    mov rsp, rdx
    sub rsp, FRAME_SIZE             ; the frame's place, as if the guest had trapped from ring 3
    mov rdi, rsp
    mov rcx, FRAME_SIZE / 8
    rep movsq                       ; rsi = the first frame
    jmp trap_return

global deprivileged_leave
deprivileged_leave:
    mov rsp, rdi
    mov rax, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret                             ; into deprivileged_enter's caller
