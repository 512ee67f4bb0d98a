; The world switch of AMD's Secure Virtual Machine (SVM): the host becomes the guest with VMRUN and
; comes back at the next #VMEXIT (AMD64 APM vol. 2, 15.5 "VMRUN Instruction", 15.6 "#VMEXIT").
;
;   void svm_world_switch(ulong guestVmcb, ulong hostVmcb, GuestRegisters* registers)
;
; Called with interrupts off (Arch/X64/Svm.cs RunGuest). What VMRUN saves and what it does not:
;  - VMRUN itself saves only part of the host (RIP, RSP, RAX, RFLAGS, CR0/3/4, EFER, GDTR, IDTR and
;    CS/SS/DS/ES) in the host save area whose address is in the VM_HSAVE_PA MSR, and #VMEXIT puts
;    them back (15.5.1). General registers other than RAX and RSP are not switched at all: the guest
;    simply finds whatever is in them, and leaves its own there. So this stub saves the host's
;    callee-saved registers on the stack and loads the guest's from `registers` (15.5: "the VMM
;    must save and restore them").
;  - The "hidden" state FS, GS, TR, LDTR and the syscall MSRs (KernelGsBase, STAR, LSTAR, ...) are
;    switched by VMLOAD/VMSAVE, which the host must run itself (15.5.2 "VMSAVE and VMLOAD"). The
;    kernel keeps its per-CPU block behind GS: VMSAVE stores the host's into `hostVmcb` before the
;    guest's are loaded, and VMLOAD brings them back before any kernel code runs again.
;  - Interrupts: CLGI clears the global interrupt flag (15.17 "Global Interrupt Flag"): while GIF is
;    0 nothing interrupts the CPU, not even an NMI, so STI here only prepares RFLAGS.IF = 1 for the
;    guest's time. With V_INTR_MASKING set in the VMCB, the host's IF (1) decides whether a physical
;    interrupt may come while the guest runs (15.21.1), and with INTR intercepted it ends the guest
;    with #VMEXIT (exit code 0x60) and stays pending. After the exit GIF is 0 again; CLI then STGI
;    leaves it pending until the caller turns interrupts on, and the host's own handler takes it.
bits 64
section .text

%define REG_RBX   0
%define REG_RCX   8
%define REG_RDX  16
%define REG_RSI  24
%define REG_RDI  32
%define REG_RBP  40
%define REG_R8   48
%define REG_R9   56
%define REG_R10  64
%define REG_R11  72
%define REG_R12  80
%define REG_R13  88
%define REG_R14  96
%define REG_R15 104

global svm_world_switch
svm_world_switch:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    push rdx                        ; [rsp+16]: the guest's registers
    push rsi                        ; [rsp+8]:  the host's VMCB (for VMSAVE/VMLOAD only)
    push rdi                        ; [rsp]:    the guest's VMCB

    clgi                            ; nothing may interrupt between here and VMRUN (GIF = 0)
    sti                             ; the host's IF for the guest's time: interrupts end the guest

    mov rax, rsi
    vmsave                          ; (the VMCB at RAX) the host's FS, GS, TR, LDTR, KernelGsBase, STAR... into hostVmcb
    mov rax, rdi
    vmload                          ; (the VMCB at RAX) the guest's from its VMCB

    mov rax, rdx                    ; the guest's general registers (RAX and RSP live in the VMCB)
    mov rbx, [rax + REG_RBX]
    mov rcx, [rax + REG_RCX]
    mov rdx, [rax + REG_RDX]
    mov rsi, [rax + REG_RSI]
    mov rdi, [rax + REG_RDI]
    mov rbp, [rax + REG_RBP]
    mov r8,  [rax + REG_R8]
    mov r9,  [rax + REG_R9]
    mov r10, [rax + REG_R10]
    mov r11, [rax + REG_R11]
    mov r12, [rax + REG_R12]
    mov r13, [rax + REG_R13]
    mov r14, [rax + REG_R14]
    mov r15, [rax + REG_R15]
    mov rax, [rsp]                  ; VMRUN takes the guest VMCB's physical address in RAX

    vmrun                          ; (the VMCB at RAX) the guest runs until an intercepted event: #VMEXIT

    ; Back in the host with RAX, RSP, RIP... as they were at VMRUN, GIF = 0 and the guest's general
    ; registers still in place.
    push rax
    mov rax, [rsp + 24]             ; the guest's registers (RAX pushed above the three pointers)
    mov [rax + REG_RBX], rbx
    mov [rax + REG_RCX], rcx
    mov [rax + REG_RDX], rdx
    mov [rax + REG_RSI], rsi
    mov [rax + REG_RDI], rdi
    mov [rax + REG_RBP], rbp
    mov [rax + REG_R8],  r8
    mov [rax + REG_R9],  r9
    mov [rax + REG_R10], r10
    mov [rax + REG_R11], r11
    mov [rax + REG_R12], r12
    mov [rax + REG_R13], r13
    mov [rax + REG_R14], r14
    mov [rax + REG_R15], r15
    pop rax

    vmsave                          ; (the VMCB at RAX) the guest's hidden state, for its next VMLOAD
    mov rax, [rsp + 8]
    vmload                          ; (the VMCB at RAX) the host's GS (per-CPU block), TR, syscall MSRs: the kernel is itself again
    cli                             ; the caller turns interrupts on when it is ready for them
    stgi                            ; GIF = 1: a pending interrupt now waits only for IF

    add rsp, 24
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret
