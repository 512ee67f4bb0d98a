; The instructions C# has no words for: port I/O, interrupt flag, halting, reading the time-stamp
; counter and CPUID. Each is a leaf routine following the System V calling convention
; (arguments in rdi, rsi, rdx, rcx; result in rax). Declared in Cpu.cs.
bits 64
section .text

global cpu_out8, cpu_in8, cpu_out16, cpu_in16, cpu_out32, cpu_in32
cpu_out8:                           ; void cpu_out8(ushort port, byte value)
    mov dx, di
    mov al, sil
    out dx, al
    ret
cpu_in8:                            ; byte cpu_in8(ushort port)
    mov dx, di
    xor eax, eax
    in al, dx
    ret
cpu_out16:
    mov dx, di
    mov ax, si
    out dx, ax
    ret
cpu_in16:
    mov dx, di
    xor eax, eax
    in ax, dx
    ret
cpu_out32:
    mov dx, di
    mov eax, esi
    out dx, eax
    ret
cpu_in32:
    mov dx, di
    in eax, dx
    ret

global cpu_halt, cpu_disable_interrupts, cpu_enable_interrupts, cpu_enable_interrupts_and_halt, cpu_pause
cpu_halt:
    hlt
    ret
cpu_disable_interrupts:
    cli
    ret
cpu_enable_interrupts:
    sti
    ret
cpu_enable_interrupts_and_halt:     ; sti takes effect after the next instruction, so no interrupt
    sti                             ; can slip in between and leave us halted with work to do
    hlt
    ret
cpu_pause:
    pause
    ret

global cpu_read_flags
cpu_read_flags:
    pushfq
    pop rax
    ret

global cpu_read_timestamp
cpu_read_timestamp:                 ; ulong: edx:eax = cycles since reset
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret

global cpu_cpuid
cpu_cpuid:                          ; void cpu_cpuid(uint leaf, uint subleaf, CpuidResult* result)
    push rbx                        ; cpuid overwrites rbx, which the caller expects preserved
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8 + 0], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret

; ---- Control registers (Intel SDM vol. 3A, 2.5) ----
global cpu_read_cr0, cpu_read_cr2, cpu_read_cr3, cpu_write_cr3, cpu_read_cr4, cpu_write_cr4, cpu_invalidate_page
cpu_read_cr0:
    mov rax, cr0
    ret
cpu_read_cr2:                       ; the address a page fault was about
    mov rax, cr2
    ret
cpu_read_cr3:                       ; the physical address of the current top-level page table
    mov rax, cr3
    ret
cpu_write_cr3:                      ; switches address space (and flushes non-global TLB entries)
    mov cr3, rdi
    ret
cpu_read_cr4:
    mov rax, cr4
    ret
cpu_write_cr4:
    mov cr4, rdi
    ret
cpu_invalidate_page:                ; drops one page's translation from the TLB
    invlpg [rdi]
    ret

; ---- Model-specific registers (Intel SDM vol. 4) ----
global cpu_read_msr, cpu_write_msr
cpu_read_msr:                       ; ulong cpu_read_msr(uint msr)
    mov ecx, edi
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret
cpu_write_msr:                      ; void cpu_write_msr(uint msr, ulong value)
    mov ecx, edi
    mov eax, esi
    mov rdx, rsi
    shr rdx, 32
    wrmsr
    ret

; ---- Descriptor tables ----
global cpu_load_gdt, cpu_load_idt, cpu_load_task_register
cpu_load_gdt:                       ; void cpu_load_gdt(DescriptorTablePointer*, ushort code, ushort data)
    lgdt [rdi]
    ; Reload every segment register so none keeps a descriptor cached from the old GDT.
    mov ax, dx
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    ; cs cannot be loaded with mov: "return" to the next instruction with the new code selector.
    movzx rsi, si
    push rsi
    lea rax, [rel .reloaded]
    push rax
    retfq
.reloaded:
    ret
cpu_load_idt:                       ; void cpu_load_idt(DescriptorTablePointer*)
    lidt [rdi]
    ret
cpu_load_task_register:             ; void cpu_load_task_register(ushort selector)
    ltr di
    ret

global cpu_breakpoint, cpu_read_stack_pointer
cpu_breakpoint:                     ; a deliberate int3 (breakpoint exception, vector 3)
    int3
    ret
cpu_read_stack_pointer:
    lea rax, [rsp + 8]              ; the caller's rsp
    ret
