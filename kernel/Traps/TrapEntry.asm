; The first code that runs on every exception, interrupt and `int 0x80`: step 1 of the trap path.
;
; What the CPU has already done when we get here (Intel SDM vol. 3A, 6.14 "Exception and Interrupt
; Handling in 64-bit Mode"):
;   1. If the trap came from ring 3, it loaded RSP from the TSS (RSP0: this thread's kernel stack),
;      because the kernel must never run on a stack the user controls. (Double faults, NMIs and
;      machine checks always switch to their own IST stack instead.)
;   2. It aligned RSP down to 16 bytes and pushed the interrupted SS, RSP, RFLAGS, CS and RIP.
;   3. For some exceptions (8, 10-14, 17, 21, 29, 30) it pushed an error code.
;   4. It cleared IF (these are interrupt gates) and jumped here, in ring 0.
;
; What we add, so that every trap leaves the same picture on the stack (a TrapFrame, Traps/TrapFrame.cs):
;   5. a 0 where the CPU pushed no error code, and the vector number (per-vector stubs below);
;   6. every general-purpose register (trap_common);
;   7. the SSE/x87 state, because compiled C# uses the SSE registers even for plain copies.
; Then trap_dispatch (Traps/TrapDispatcher.cs) gets a pointer to the TrapFrame. On the way back we
; undo 7, 6, 5 and `iretq` pops RIP, CS, RFLAGS, RSP and SS: the interrupted code continues as if
; nothing happened, unless the handler changed the frame (or switched to another thread's stack).

bits 64
section .text

extern trap_dispatch

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

; Offsets into the frame once the vector is pushed (before the registers): see TrapFrame.cs.
FRAME_CS_BEFORE_REGISTERS equ 24    ; vector, error code, rip, then cs

trap_common:
    ; From user mode, GS still holds the user's base; swapgs exchanges it with the kernel's
    ; (MSR KERNEL_GS_BASE), which points at this CPU's data. From kernel mode it is already right.
    test qword [rsp + FRAME_CS_BEFORE_REGISTERS], 3
    jz .gs_ok
    swapgs
.gs_ok:
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
    cld                             ; the System V ABI expects the direction flag clear

    mov rbx, rsp                    ; rbx = the TrapFrame (callee-saved: survives the call)
    and rsp, ~15                    ; fxsave needs 16-byte alignment; so does the call
    sub rsp, 512
    fxsave64 [rsp]

    mov rdi, rbx
    call trap_dispatch
global trap_dispatch_return
trap_dispatch_return:               ; backtraces recognise this address: the frame below is a trap

    fxrstor64 [rsp]
    mov rsp, rbx
global trap_return
trap_return:                        ; also where a new thread starts: its first "return" from a trap
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
    test qword [rsp + FRAME_CS_BEFORE_REGISTERS], 3
    jz .gs_restored
    swapgs                          ; going back to user mode: give it its GS base again
.gs_restored:
    add rsp, 16                     ; drop the vector and the error code
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
