; The way into the kernel for every exception, interrupt and `int 0x80`, and the way back out with
; `iretq`. The trap path has five steps, numbered the same in every file and in docs/guide/03-traps.md:
;
;   1. the CPU (below)                          4. Proc/TrapExit.cs: the work due on the way back
;   2. this file: build the TrapFrame              (preemption, a pending kill)
;   3. the dispatcher: Traps/TrapDispatcher.cs  5. this file: restore the frame, iretq
;      (Syscalls/SyscallDispatcher.cs for int 0x80)
;
; Step 1, what the CPU has already done when we get here (Intel SDM vol. 3A, 6.14 "Exception and
; Interrupt Handling in 64-bit Mode"): if the trap came from ring 3, it loaded RSP from the TSS (RSP0:
; this thread's kernel stack), because the kernel must never run on a stack the user controls (double
; faults, NMIs and machine checks always switch to their own IST stack instead); it aligned RSP down to
; 16 bytes and pushed the interrupted SS, RSP, RFLAGS, CS and RIP; for some exceptions (8, 10-14, 17,
; 21, 29, 30) it pushed an error code; it cleared IF (these are interrupt gates) and jumped here.
;
; Step 2 leaves the same picture on the stack for every trap, a TrapFrame (Traps/TrapFrame.cs): a 0
; where the CPU pushed no error code and the vector number (the per-vector stubs), every general
; register (trap_common), and, below the frame, the SSE/x87 state, because compiled C# uses the SSE
; registers even for plain copies. The frame's offsets, the selectors and the register pushes come
; from layout.inc, which the build generates from the C# (tools/AsmLayout): they cannot disagree.
; SyscallEntry.asm, beside this file, is the `syscall` instruction's door: it builds the same frame.

bits 64
section .text

%include "layout.inc"

extern trap_dispatch, syscall_dispatch, trap_exit

%macro STUB_WITHOUT_ERROR_CODE 1
trap_stub_%1:
    push 0                          ; no error code for this vector: keep the frame the same shape
    push %1
    jmp trap_common
%endmacro

%macro STUB_WITH_ERROR_CODE 1
trap_stub_%1:
    push %1                         ; the CPU already pushed an error code
    jmp trap_common
%endmacro

%assign vector 0
%rep 256
  %if vector = 8 || (vector >= 10 && vector <= 14) || vector = 17 || vector = 21 || vector = 29 || vector = 30
    STUB_WITH_ERROR_CODE vector
  %else
    STUB_WITHOUT_ERROR_CODE vector
  %endif
  %assign vector vector + 1
%endrep

; Where the frame's CS is while only the vector and error code are pushed below it.
FRAME_CS_BEFORE_REGISTERS equ FRAME_CS - FRAME_VECTOR

trap_common:
    ; From user mode, GS still holds the user's base; swapgs exchanges it with the kernel's
    ; (MSR KERNEL_GS_BASE), which points at this CPU's data. From kernel mode it is already right.
    test qword [rsp + FRAME_CS_BEFORE_REGISTERS], 3
    jz .gs_ok
    swapgs
.gs_ok:
    FRAME_PUSH_REGISTERS
    cld                             ; the System V ABI expects the direction flag clear

    mov rbx, rsp                    ; rbx = the TrapFrame (callee-saved: survives the calls)
    and rsp, ~15                    ; fxsave needs 16-byte alignment; so does the call
    sub rsp, 512
    fxsave64 [rsp]

    ; Step 3: the dispatcher. `int 0x80` is a system call: it goes where the `syscall` door goes.
    lea rax, [rel trap_dispatch]
    cmp qword [rbx + FRAME_VECTOR], VECTOR_SYSCALL
    jne .dispatch
    lea rax, [rel syscall_dispatch]
.dispatch:
    mov rdi, rbx
    call rax
global trap_dispatch_return
trap_dispatch_return:               ; backtraces recognise this address and the next: rbx is the TrapFrame

    mov rdi, rbx                    ; step 4: the work due before the frame is resumed
    call trap_exit
global trap_exit_return
trap_exit_return:

    fxrstor64 [rsp]
    mov rsp, rbx
global trap_return
trap_return:                        ; step 5; also where a new thread starts: its first "return" from a trap
    FRAME_POP_REGISTERS
    test qword [rsp + FRAME_CS_BEFORE_REGISTERS], 3
    jz .gs_restored
    swapgs                          ; going back to user mode: give it its GS base again
.gs_restored:
    add rsp, FRAME_RIP - FRAME_VECTOR   ; drop the vector and the error code
    iretq

; The table Arch/X64/Idt.cs reads to fill the IDT: the address of each vector's stub.
section .rodata
align 8
global trap_stub_table_data
trap_stub_table_data:
%assign vector 0
%rep 256
    dq trap_stub_ %+ vector
  %assign vector vector + 1
%endrep

section .text
global trap_stub_table
trap_stub_table:
    lea rax, [rel trap_stub_table_data]
    ret
