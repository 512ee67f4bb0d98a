; rdtsc in user mode: the time-stamp counter (CPU cycles), for measurements. Ring 3 may execute it
; unless the kernel sets CR4.TSD, which TeachOS does not.
bits 64
section .text
global user_read_timestamp
user_read_timestamp:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
