; Deliberate traps for the kernel's trap tests (Tests/TrapTests.cs): things C# will not write.
bits 64
section .text

global test_invalid_opcode, test_single_step
test_invalid_opcode:                ; ud2 is defined to be an invalid instruction: #UD
    ud2
    ret

test_single_step:                   ; sets RFLAGS.TF: the CPU raises #DB after the next instruction
    pushfq
    or qword [rsp], 1 << 8
    popfq
    nop                             ; #DB is raised after this; the handler clears TF
    ret
