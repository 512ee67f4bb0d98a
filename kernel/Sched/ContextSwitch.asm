; Switching from one thread to another, inside the kernel. Sched/SchedulerSwitch.cs decides who runs next;
; this routine only swaps stacks.
;
; Processor context_switch(ulong* saveStackPointer, ulong nextStackPointer)
;
; The outgoing thread calls it like any function, so by the System V rules it only has to preserve
; the callee-saved registers: rbx, rbp, r12-r15 (everything else the caller already assumes lost,
; including the SSE registers). We push those six on the outgoing thread's kernel stack, store the
; stack pointer in its Thread, load the incoming thread's stack pointer and pop its six registers.
; The final `ret` returns into the incoming thread, wherever it last called context_switch.
; It returns the CPU that resumed it (this CPU's Processor, from the GS block): the thread may have
; gone to sleep on one CPU and be woken on another, and its caller needs to know which it is on now.
; Read here, it is one instruction; the caller would need a call to the same read (C# cannot name GS).
; A user thread's user-mode registers are not here: they are in the TrapFrame further up the same
; kernel stack, saved when it entered the kernel.
bits 64
section .text

%include "layout.inc"

global context_switch
context_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp                  ; the outgoing thread's stack pointer, for when it runs again
    mov rsp, rsi                    ; from here on we are on the incoming thread's stack
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    mov rax, [gs:GS_PROCESSOR_OBJECT]   ; the CPU we resume on: the return value
    ret

; A new thread has never called context_switch, so Sched/Thread.cs builds its first stack as if it
; had, with thread_start as the return address and, in r12/r13, what it should run:
;   r12 = 0:        a user thread; the stack above holds a TrapFrame, and trap_return "returns" to
;                   ring 3 through it (Arch/X64/TrapEntry.asm)
;   r12 = function: a kernel thread; call function(r13) with interrupts on, then exit
extern scheduler_finish_switch, kernel_thread_exit, trap_return
global thread_start
thread_start:
    call scheduler_finish_switch    ; what context_switch's caller would have done after it returned
    test r12, r12
    jz .user_thread
    sti
    mov rdi, r13
    call r12
    mov edi, eax
    call kernel_thread_exit         ; never returns
.user_thread:
    jmp trap_return

global thread_start_address
thread_start_address:
    lea rax, [rel thread_start]
    ret
