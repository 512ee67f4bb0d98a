; C# cannot name a linker symbol's address directly, so each one the kernel needs gets a tiny
; function that returns it. LinkerSymbols.cs declares them.
bits 64
section .text

%macro address_of 2                 ; address_of function_name, symbol
global %1
extern %2
%1:
    lea rax, [rel %2]
    ret
%endmacro

address_of linker_modules_start, __modules_start
address_of linker_modules_end, __modules_end
address_of linker_text_start, __text_start
address_of linker_text_end, __text_end
address_of linker_eh_frame_hdr_start, __eh_frame_hdr_start
address_of linker_eh_frame_hdr_end, __eh_frame_hdr_end
address_of linker_eh_frame_start, __eh_frame_start
address_of linker_eh_frame_end, __eh_frame_end
address_of linker_kernel_symbols_start, __kernel_symbols_start
address_of linker_kernel_symbols_end, __kernel_symbols_end
address_of linker_rodata_start, __rodata_start
address_of linker_data_start, __data_start
address_of linker_bss_end, __bss_end
address_of linker_boot_stack_guard, boot_stack_guard
address_of linker_boot_stack_top, boot_stack_top
address_of linker_trap_dispatch_return, trap_dispatch_return
address_of linker_trap_exit_return, trap_exit_return
address_of linker_syscall_dispatch_return, syscall_dispatch_return
address_of linker_syscall_exit_return, syscall_exit_return
address_of linker_kernel_end, __kernel_end
