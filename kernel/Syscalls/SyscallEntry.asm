; The fast way into the kernel: the `syscall` instruction (AMD64 manual vol. 2, 6.1.1; Intel SDM
; vol. 2B, SYSCALL). Unlike `int 0x80`, it does not touch the stack or the IDT at all. It only:
;   - saves the return address in rcx and the flags in r11,
;   - loads CS/SS for ring 0 from MSR STAR and RIP from MSR LSTAR (this routine),
;   - clears the flags named in MSR SFMASK (we clear IF: no interrupt until we have a stack).
; So the first instructions run in ring 0 *on the user's stack pointer*. We must switch to this
; thread's kernel stack ourselves, and we find it through GS (Sched/Processor.cs ProcessorLocal).
; Then we build the same TrapFrame as Traps/TrapEntry.asm, so both entries reach one dispatcher.
; The way back is `sysret`, which reloads rip from rcx and the flags from r11.

bits 64
section .text

USER_CODE        equ 0x23               ; Arch/X64/Gdt.cs Selectors.UserCode
USER_DATA        equ 0x1B               ; Selectors.UserData
GS_KERNEL_STACK  equ 8                  ; ProcessorLocal.KernelStackTop
GS_USER_STACK    equ 16                 ; ProcessorLocal.UserStackScratch
SYSCALL_INSTRUCTION_VECTOR equ 256      ; not a real vector: marks "entered by syscall" (Traps/TrapVectors.cs)
FRAME_RIP        equ 17 * 8             ; Traps/TrapFrame.cs offsets
FRAME_RFLAGS     equ 19 * 8
FRAME_RSP        equ 20 * 8

extern trap_dispatch, trap_return
global syscall_entry
syscall_entry:
    swapgs                              ; GS now points at this CPU's kernel data
    mov [gs:GS_USER_STACK], rsp
    mov rsp, [gs:GS_KERNEL_STACK]       ; this thread's kernel stack

    push USER_DATA                      ; the same five values the CPU pushes on an interrupt
    push qword [gs:GS_USER_STACK]
    push r11                            ; the user's flags
    push USER_CODE
    push rcx                            ; the user's return address
    push 0                              ; no error code
    push SYSCALL_INSTRUCTION_VECTOR
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld

    ; No fxsave here: a syscall is a function call for the user program, so by the calling
    ; convention its SSE registers are already dead. (A trap that interrupts the program at an
    ; arbitrary instruction, like the timer, must save them; see TrapEntry.asm.)
    mov rbx, rsp
    and rsp, ~15
    mov rdi, rbx
    call trap_dispatch                  ; the dispatcher turns interrupts on for the syscall's body
global syscall_dispatch_return
syscall_dispatch_return:                ; debuggers recognise this address: rbx is the TrapFrame (tools/gdb)
    mov rsp, rbx

    ; Back to user mode. sysret is only safe to a canonical address: sysret to a non-canonical rip
    ; faults *in ring 0 on the user's stack* (CVE-2012-0217). The frame may have been changed
    ; (a new thread, a signal-like redirect), so check, and fall back to iretq when in doubt.
    cli
    mov rcx, [rsp + FRAME_RIP]
    mov r11, rcx
    shl r11, 16
    sar r11, 16
    cmp r11, rcx
    jne .return_with_iretq

    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    mov rcx, [rsp + FRAME_RIP - 15 * 8]     ; rip and rflags for sysret, from the frame
    mov r11, [rsp + FRAME_RFLAGS - 15 * 8]
    mov rsp, [rsp + FRAME_RSP - 15 * 8]     ; the user's stack: from here on nothing may trap
    swapgs
    o64 sysret

.return_with_iretq:
    jmp trap_return

global syscall_entry_address
syscall_entry_address:
    lea rax, [rel syscall_entry]
    ret
