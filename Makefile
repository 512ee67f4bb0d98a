# TeachOS build. The pipeline (docs/guide/01-build.md walks through it):
#
#   C# (.cs) --csc---------> IL (.dll) --ilc--> x86-64 object --+
#   assembly (.asm) --nasm--> x86-64 objects -------------------+--ld--> build/kernel.elf (DWARF)
#                                                                |         |
#                                                                |         +--objcopy--> build/kernel.bin (QEMU -kernel)
#                                                                |         +--grub-mkrescue--> iso/teachos.iso
#
# Every step is a make rule with its real inputs, so a rebuild redoes only what changed. MSBuild
# (dotnet build) runs once, to configure: it tells make the compiler options of each project.

SHELL := /bin/bash
.DEFAULT_GOAL := iso
# Keep every intermediate file (objects made by chains of pattern rules), so rebuilds stay incremental.
.SECONDARY:
# Independent steps run side by side, one per core (JOBS=1: one at a time): the programs' compiles,
# ilc runs and links, the kernel's ilc beside AsmLayout and nasm. (The make that `iso` starts
# inherits it. No --output-sync: it would hold back what `make run` and QEMU print until they end.)
JOBS ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(JOBS)
endif

BUILD    := build
OBJ      := $(BUILD)/obj
CONFIG   := Release
DOTNET   := dotnet
NASM     := nasm -f elf64 -g -F dwarf -w+all
# xv6's convention for machines whose own binutils do not target x86-64 ELF (a Mac): a cross
# toolchain's prefix, found by itself when x86_64-elf-ld is on the PATH (docs/setup.md).
TOOLPREFIX ?= $(if $(shell command -v x86_64-elf-ld 2>/dev/null),x86_64-elf-)
LD       := $(TOOLPREFIX)ld
OBJCOPY  := $(TOOLPREFIX)objcopy
export NM := $(TOOLPREFIX)nm
CMDLINE  ?=
SMP      ?= 1
TIMEOUT  ?= 60
# The disk image `run`, `boot` and `qemu-gdb` attach as a virtio block device (tools/run-qemu.sh
# --disk; kernel/Drivers/BlockDevices.cs): build/disk.img if it exists (checked when the recipe runs,
# after the prerequisites that may build it), or the image DISK=path names (the runner says if it is
# missing); DISK= attaches none.
DISK     ?= $(BUILD)/disk.img
DISK_ARG  = $(if $(filter file,$(origin DISK)),$(if $(wildcard $(DISK)),--disk $(DISK)),$(if $(DISK),--disk $(DISK)))
# The network card `run`, `boot` and `qemu-gdb` attach (tools/run-qemu.sh --net; kernel/Drivers/VirtioNet.cs):
# QEMU's user-mode network by default; NET=none attaches none; NET_DUMP=file.pcap records every frame.
NET      ?= user
NET_ARG   = --net $(NET)$(if $(NET_DUMP), --net-dump $(NET_DUMP))
# xv6's convention: a gdbstub port of one's own, derived from the user id.
GDBPORT  := $(shell expr `id -u` % 5000 + 25000)

# ---- C# to IL -----------------------------------------------------------------------------------
# MSBuild knows each project's compiler options (the SDK's defines, the analyzers and their settings,
# the warnings); make knows what changed. So MSBuild runs once, to configure: msbuild/Configure.proj
# restores the projects, builds the analyzers (the compiler loads them), tools/AsmLayout and
# tools/DiskTools (mkfs, for the disk image), writes
# ilc's path (tools/Toolchain restores the ILCompiler package the SDK chooses) and each bare-metal
# project's compiler options, build/csc/ASSEMBLY.rsp (msbuild/CompilerArguments.targets). It runs
# again only when a project file, an analyzer or the list of C# files changes. Every compile after
# that is make running csc itself, one assembly at a time: an edit costs one compile, not an MSBuild
# start-up (seconds each). The IL goes to build/il/; `dotnet build` (the IDE's build) still works and
# writes to each project's bin/ as usual.
CSC_ARGS := $(BUILD)/csc
CONFIGURE := $(CSC_ARGS)/configure.stamp
ILC_PATH_FILE := $(BUILD)/ilc-path
ILC = $(shell cat $(ILC_PATH_FILE))
IL := $(BUILD)/il

# The analyzers and the syscall generator (analyzers/) run inside the compiler: changing them
# reconfigures and rebuilds everything they check.
ANALYZER_SOURCES := $(shell find analyzers -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.md' -o -name '*.globalconfig')
ASM_LAYOUT_TOOL  := tools/AsmLayout/bin/$(CONFIG)/net10.0/AsmLayout.dll
ASM_LAYOUT_SOURCES := $(wildcard tools/AsmLayout/*.cs tools/AsmLayout/*.csproj)
DISK_TOOL        := tools/DiskTools/bin/$(CONFIG)/net10.0/DiskTools.dll
DISK_TOOL_SOURCES := $(shell find tools/DiskTools -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*') \
                     tools/DiskTools/DiskTools.csproj abi/DiskFormat.cs
IMAGE_TOOL       := tools/ImageTool/bin/$(CONFIG)/net10.0/ImageTool.dll
IMAGE_TOOL_SOURCES := $(wildcard tools/ImageTool/*.cs tools/ImageTool/*.csproj)
PROJECT_FILES := msbuild/Configure.proj $(wildcard msbuild/*.props msbuild/*.targets) tools/Toolchain/Toolchain.csproj \
                 runtime/TeachOS.Runtime.csproj kernel/TeachOS.Kernel.csproj \
                 userland/Lib/TeachOS.UserLib.csproj userland/Programs/Programs.csproj
csharp_files = $(shell find $(1) -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' | sort)
RUNTIME_SOURCES  := $(call csharp_files,runtime)
KERNEL_SOURCES   := $(call csharp_files,kernel abi)
USER_LIB_SOURCES := $(call csharp_files,userland/Lib abi)

# The response files name every source file, so adding, removing or renaming one reconfigures. The
# list is rewritten (and so gets a new time) only when it changes.
CSHARP_FILE_LIST := $(CSC_ARGS)/files.txt
$(shell mkdir -p $(CSC_ARGS) && { echo '$(sort $(RUNTIME_SOURCES) $(KERNEL_SOURCES) $(USER_LIB_SOURCES))' | \
        cmp -s - $(CSHARP_FILE_LIST) || echo '$(sort $(RUNTIME_SOURCES) $(KERNEL_SOURCES) $(USER_LIB_SOURCES))' > $(CSHARP_FILE_LIST); })

# UseSharedCompilation=true: the analyzers and AsmLayout compile in the compiler server too (see
# -shared below), which is then warm for everything after them, whatever the environment says.
$(CONFIGURE): $(PROJECT_FILES) $(ANALYZER_SOURCES) $(ASM_LAYOUT_SOURCES) $(DISK_TOOL_SOURCES) $(IMAGE_TOOL_SOURCES) $(CSHARP_FILE_LIST)
	$(DOTNET) msbuild msbuild/Configure.proj -restore -m -p:Configuration=$(CONFIG) -p:UseSharedCompilation=true -v:q -nologo
	@touch $@

# Written by the configure step, each only when its text changes: make then recompiles exactly what
# a changed option affects.
ANALYZERS := analyzers/TeachOS.Analyzers/bin/$(CONFIG)/netstandard2.0/TeachOS.Analyzers.dll
RESPONSE_FILES := $(patsubst %,$(CSC_ARGS)/%.rsp,TeachOS.Runtime Kernel UserLib Programs)
# The analyzers' view of a project's properties (TeachOSRole...), which its response file names.
editorconfig = $(1)/obj/$(CONFIG)/$(2).GeneratedMSBuildEditorConfig.editorconfig
EDITORCONFIGS := $(call editorconfig,runtime,TeachOS.Runtime) $(call editorconfig,kernel,TeachOS.Kernel) \
                 $(call editorconfig,userland/Lib,TeachOS.UserLib) $(call editorconfig,userland/Programs,Programs)
$(RESPONSE_FILES) $(EDITORCONFIGS) $(CSC_ARGS)/csc-path $(ILC_PATH_FILE) $(ASM_LAYOUT_TOOL) $(DISK_TOOL) $(IMAGE_TOOL) $(ANALYZERS): $(CONFIGURE) ;
# What every compile reads besides its sources: the analyzers and their settings.
COMPILE_INPUTS := $(CSC_ARGS)/csc-path $(ANALYZERS) $(wildcard analyzers/TeachOS.Analyzers/build/*.globalconfig)

# -shared: csc hands the compile to the compiler server (VBCSCompiler), which the first compile
# starts and which stays loaded for the next ones (it exits by itself after some idle minutes): the
# compiler and the analyzers are then already in memory and compiled to machine code. -noconfig:
# no csc.rsp of the SDK's (it would add .NET's framework). csc runs in the project's folder: the
# response file's paths are relative to it.
CSC = $(DOTNET) exec $(shell cat $(CSC_ARGS)/csc-path) -noconfig -nologo -shared
RUNTIME_IL  := $(IL)/TeachOS.Runtime.dll
KERNEL_IL   := $(IL)/Kernel.dll
USER_LIB_IL := $(IL)/UserLib.dll

$(RUNTIME_IL): $(RUNTIME_SOURCES) $(CSC_ARGS)/TeachOS.Runtime.rsp $(call editorconfig,runtime,TeachOS.Runtime) $(COMPILE_INPUTS)
	@mkdir -p $(IL)
	cd runtime && $(CSC) @$(abspath $(CSC_ARGS)/TeachOS.Runtime.rsp) -out:$(abspath $@)

$(KERNEL_IL): $(KERNEL_SOURCES) kernel/Layers.txt $(RUNTIME_IL) $(CSC_ARGS)/Kernel.rsp $(call editorconfig,kernel,TeachOS.Kernel) $(COMPILE_INPUTS)
	cd kernel && $(CSC) @$(abspath $(CSC_ARGS)/Kernel.rsp) -reference:$(abspath $(RUNTIME_IL)) -out:$(abspath $@)

$(USER_LIB_IL): $(USER_LIB_SOURCES) $(RUNTIME_IL) $(CSC_ARGS)/UserLib.rsp $(call editorconfig,userland/Lib,TeachOS.UserLib) $(COMPILE_INPUTS)
	cd userland/Lib && $(CSC) @$(abspath $(CSC_ARGS)/UserLib.rsp) -reference:$(abspath $(RUNTIME_IL)) -out:$(abspath $@)

# ---- IL to native code ----------------------------------------------------------------------------
# --systemmodule: our base library plays System.Private.CoreLib. --nativelib: an object file to link
# ourselves, no .NET runtime. -g: DWARF, so GDB shows C# source. -O: optimise, which also runs static
# constructors at compile time where it can.
ILC_FLAGS := --systemmodule:TeachOS.Runtime --targetos:linux --targetarch:x64 -O -g \
             --nativelib --export-unmanaged-entrypoints

$(OBJ)/kernel.ilc.o: $(KERNEL_IL) $(ILC_PATH_FILE)
	@mkdir -p $(OBJ)
	$(ILC) $(KERNEL_IL) $(RUNTIME_IL) $(ILC_FLAGS) -o:$@ --map:$(BUILD)/kernel.map.xml

# ---- Assembly -----------------------------------------------------------------------------------
KERNEL_ASM := $(shell find kernel runtime/Native -name '*.asm')
USERLAND_ASM := $(shell find userland -name '*.asm')
KERNEL_ASM_OBJECTS := $(patsubst %.asm,$(OBJ)/%.o,$(KERNEL_ASM))

$(OBJ)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -I$(GENERATED)/ -o $@ $<

# ---- Layouts shared by assembly and C# ------------------------------------------------------------
# Linux's asm-offsets idea: the entry stubs do not copy the TrapFrame's offsets, the per-CPU block's
# or the segment selectors; tools/AsmLayout reads them from the kernel's IL (the types marked
# [SharedWithAssembly]) and writes layout.inc, with the macros that push and pop the frame's registers.
# The tool rewrites the file only when its text changes, so a C# edit elsewhere rebuilds no assembly.
GENERATED        := $(BUILD)/generated
LAYOUT_INC       := $(GENERATED)/layout.inc
# The tool is built by the configure step (above), once.

# The stamp follows the IL; layout.inc itself keeps its time unless it changed.
$(GENERATED)/layout.stamp: $(KERNEL_IL) $(ASM_LAYOUT_TOOL)
	@mkdir -p $(GENERATED)
	$(DOTNET) $(ASM_LAYOUT_TOOL) $(KERNEL_IL) $(LAYOUT_INC)
	@touch $@

$(LAYOUT_INC): $(GENERATED)/layout.stamp ;

# Kernel assembly that includes the generated file depends on it (the user library's does not).
LAYOUT_USERS := $(shell grep -l '%include "layout.inc"' $(KERNEL_ASM))
$(patsubst %.asm,$(OBJ)/%.o,$(LAYOUT_USERS)): $(LAYOUT_INC)

# ---- Link, twice ------------------------------------------------------------------------------
# The kernel carries its own symbol table (for backtraces). It is made from a first link and placed
# by the second after all code and data, so no recorded address moves; the check after the second
# link proves it.
LDFLAGS := -n -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments --eh-frame-hdr \
           -T kernel/Boot/linker.ld
KERNEL_OBJECTS := $(KERNEL_ASM_OBJECTS) $(OBJ)/kernel.ilc.o

$(OBJ)/no-symbols.o:
	@mkdir -p $(OBJ)
	printf 'section .kernel_symbols\n    dq 0\n' > $(OBJ)/no-symbols.asm
	$(NASM) -o $@ $(OBJ)/no-symbols.asm

$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJECTS) $(OBJ)/no-symbols.o kernel/Boot/linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJECTS) $(OBJ)/no-symbols.o

$(BUILD)/kernel-symbols.asm: $(BUILD)/kernel.pass1.elf tools/kernel-symbols.sh
	tools/kernel-symbols.sh $< > $@

$(OBJ)/kernel-symbols.o: $(BUILD)/kernel-symbols.asm
	$(NASM) -o $@ $<

$(BUILD)/kernel.elf: $(KERNEL_OBJECTS) $(OBJ)/kernel-symbols.o kernel/Boot/linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJECTS) $(OBJ)/kernel-symbols.o
	@tools/kernel-symbols.sh $@ | cmp -s - $(BUILD)/kernel-symbols.asm || \
		{ echo "error: symbol addresses moved between the two links (see kernel/Boot/linker.ld)"; rm -f $@; exit 1; }

# QEMU's -kernel loads this flat image (Multiboot 1 "a.out kludge", see kernel/Boot/Multiboot.asm).
$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	$(OBJCOPY) -O binary $< $@

# The ISO's copy of the kernel carries no DWARF and no ELF symbol table: the kernel names its own
# addresses from the table linked into it (tools/kernel-symbols.sh), and GDB reads build/kernel.elf.
# Under emulation GRUB reads the CD at about 10 ms per 100 KiB, so every byte left out is boot time.
$(BUILD)/kernel.stripped.elf: $(BUILD)/kernel.elf
	$(OBJCOPY) --strip-all $< $@

# ---- User programs --------------------------------------------------------------------------------
# Each userland/Programs/NAME.cs becomes build/user/NAME.elf: a static ELF at 4 MiB, linked with the
# user library's start code and syscall stubs. ilc runs in "executable" mode for programs: it
# generates __managed__Main, which builds Main's string[] from argv. The assignments' test programs
# (assignments/*/grade/*.cs) are programs too, always built, so /bin/tracetest and the others
# are there for `make grade` and for a student to run from the shell.
# A program is a file (userland/Programs/NAME.cs), a folder of files (userland/Programs/NAME/*.cs),
# or both: a file and a folder of the same name are one program (usertests.cs and usertests/).
PROGRAM_FILES      := $(wildcard userland/Programs/*.cs) $(wildcard assignments/*/grade/*.cs)
PROGRAM_FOLDERS    := $(filter-out bin obj,$(notdir $(patsubst %/,%,$(wildcard userland/Programs/*/))))
PROGRAMS           := $(basename $(notdir $(PROGRAM_FILES))) \
                      $(filter-out $(basename $(notdir $(PROGRAM_FILES))),$(PROGRAM_FOLDERS))
USER_ELFS          := $(patsubst %,$(BUILD)/user/%.elf,$(PROGRAMS))
USER_ASM_OBJECTS   := $(patsubst %.asm,$(OBJ)/%.o,$(USERLAND_ASM)) \
                      $(OBJ)/runtime/Native/InterfaceDispatch.o $(OBJ)/runtime/Native/SecurityCookie.o

# Each program is compiled on its own, from its own files only, into an assembly with its own entry
# point, with the options of userland/Programs/Programs.csproj (its response file names no sources):
# a change to one program recompiles, ilc-compiles and links that program only.
program_sources = $(filter %/$(1).cs,$(PROGRAM_FILES)) $(wildcard userland/Programs/$(1)/*.cs)
$(foreach program,$(PROGRAMS),$(eval $(IL)/user/$(program).dll: $(call program_sources,$(program))))

$(IL)/user/%.dll: $(CSC_ARGS)/Programs.rsp $(call editorconfig,userland/Programs,Programs) $(COMPILE_INPUTS) $(RUNTIME_IL) $(USER_LIB_IL)
	@mkdir -p $(IL)/user
	cd userland/Programs && $(CSC) @$(abspath $(CSC_ARGS)/Programs.rsp) -target:exe \
		-reference:$(abspath $(RUNTIME_IL)) -reference:$(abspath $(USER_LIB_IL)) -out:$(abspath $@) \
		$(abspath $(filter %.cs,$^))

$(OBJ)/user/%.ilc.o: $(IL)/user/%.dll $(USER_LIB_IL) $(RUNTIME_IL) $(ILC_PATH_FILE)
	@mkdir -p $(OBJ)/user
	$(ILC) $< $(USER_LIB_IL) $(RUNTIME_IL) \
		--systemmodule:TeachOS.Runtime --targetos:linux --targetarch:x64 -O -g -o:$@

$(BUILD)/user/%.elf: $(OBJ)/user/%.ilc.o $(USER_ASM_OBJECTS) userland/Lib/user.ld
	@mkdir -p $(BUILD)/user
	$(LD) -z max-page-size=0x1000 -z noexecstack -z separate-code --eh-frame-hdr \
		-T userland/Lib/user.ld -o $@ $(USER_ASM_OBJECTS) $<

# ---- Guests: small programs for the hypervisor's virtual machines (kernel/Virt) -------------------
# Each guests/NAME.asm is assembled to a flat binary, guest code with no file format around it, which
# `vm run /guests/NAME.bin` loads at guest-physical 0x1000 (docs/guide/14-virtual-machines.md).
# guests/disk.img, four sectors of text, is a disk to try them with: `vm run /guests/disk.bin --disk /guests/disk.img`.
GUEST_SOURCES := $(wildcard guests/*.asm)
GUEST_IMAGES  := $(patsubst guests/%.asm,$(BUILD)/guests/%.bin,$(GUEST_SOURCES))
$(BUILD)/guests/%.bin: guests/%.asm $(wildcard guests/*.inc)
	@mkdir -p $(BUILD)/guests
	nasm -f bin -w+all -Iguests/ -o $@ $<

# ---- The initrd: the programs in /bin, the files of userland/Files ----------------------------------
USER_FILES := $(shell find userland/Files -type f)

# The programs go in without their DWARF (GDB reads build/user/NAME.elf), but with their symbol
# tables: the kernel names the functions of a faulting program from them (kernel/Loader/ElfSymbols.cs).
# That leaves the initrd at two thirds of its size, and GRUB and the kernel have a third less to load.
$(BUILD)/initrd.tar: $(USER_ELFS) $(USER_FILES) $(GUEST_IMAGES) guests/disk.img $(BUILD)/images.stamp
	rm -rf $(BUILD)/initrd-root
	mkdir -p $(BUILD)/initrd-root/bin
	for f in $(USER_ELFS); do $(OBJCOPY) --strip-debug "$$f" "$(BUILD)/initrd-root/bin/$$(basename "$${f%.elf}")"; done
	cp -r userland/Files/. $(BUILD)/initrd-root/
	mkdir -p $(BUILD)/initrd-root/guests && cp $(GUEST_IMAGES) guests/disk.img $(BUILD)/initrd-root/guests/
	cp -r $(BUILD)/images $(BUILD)/initrd-root/images
	mkdir -p $(BUILD)/initrd-root/tmp $(BUILD)/initrd-root/home
	# Owners and modes as a Unix system has them (docs/guide/09-who-may-do-what.md): everything root's
	# (tar's --owner and --group), directories and programs 0755, other files 0644, and /tmp 1777:
	# anyone may create there, and the sticky bit keeps each user's files safe from the others' unlink.
	find $(BUILD)/initrd-root -type d -exec chmod 0755 {} +
	find $(BUILD)/initrd-root -type f -exec chmod 0644 {} +
	chmod 0755 $(BUILD)/initrd-root/bin/*
	chmod 1777 $(BUILD)/initrd-root/tmp
	# The accounts (docs/guide/login-section.md): su and passwd are setuid root (they change ids and
	# /etc/passwd for users who are not root); /etc/passwd and /etc/group are root's, readable by all
	# (0644 above); /home/student is the student's own, added in a second pass with the student's ids.
	chmod 4755 $(BUILD)/initrd-root/bin/su $(BUILD)/initrd-root/bin/passwd
	tar --format=ustar --owner=0 --group=0 --sort=name -C $(BUILD)/initrd-root -cf $@ .
	rm -rf $(BUILD)/initrd-homes && mkdir -p $(BUILD)/initrd-homes/home/student && chmod 0755 $(BUILD)/initrd-homes/home/student
	tar --format=ustar --owner=student:1000 --group=student:1000 -C $(BUILD)/initrd-homes -rf $@ ./home/student

# ---- Container images: /images in the initrd ------------------------------------------------------
# tools/ImageTool builds each userland/Images/NAME/recipe into an OCI image layout, build/image-layouts/NAME
# (docs/tools/images.md), and the Makefile packs each layout into one tar, build/images/NAME.tar (an OCI
# archive: a blob's name, blobs/sha256/ and 64 hex digits, is longer than the initrd's and the disk's
# names may be). `ctr images import /images/NAME.tar` reads it in TeachOS. A recipe's `layer rootfs` is its
# folder's rootfs/ plus, for base, the programs copied in here (stripped, as in /bin); `from
# ../../image-layouts/base` is relative to the staging folder build/images-src/NAME, so app comes after
# base. The hostile images (build/images/hostile/KIND.tar) are the broken ones the tests must see refused.
IMAGE_NAMES    := base app
BASE_PROGRAMS  := sh ls cat echo true hostname ps sleep rm env
HOSTILE_IMAGES := wrong-digest dotdot absolute link-outside truncated huge missing-blob bad-json
IMAGE_FILES    := $(shell find userland/Images)
pack_layout = tar --format=ustar --owner=0 --group=0 --sort=name --mtime=2026-01-01 -C $(1) -cf $(2) .

$(BUILD)/images.stamp: $(IMAGE_TOOL) $(IMAGE_FILES) $(patsubst %,$(BUILD)/user/%.elf,$(BASE_PROGRAMS))
	rm -rf $(BUILD)/images $(BUILD)/images-src $(BUILD)/image-layouts
	mkdir -p $(BUILD)/images-src $(BUILD)/image-layouts/hostile $(BUILD)/images/hostile
	cp -r userland/Images/. $(BUILD)/images-src/
	mkdir -p $(BUILD)/images-src/base/rootfs/bin
	for p in $(BASE_PROGRAMS); do $(OBJCOPY) --strip-debug $(BUILD)/user/$$p.elf $(BUILD)/images-src/base/rootfs/bin/$$p; chmod 0755 $(BUILD)/images-src/base/rootfs/bin/$$p; done
	for i in $(IMAGE_NAMES); do $(DOTNET) $(IMAGE_TOOL) build $(BUILD)/images-src/$$i/recipe $(BUILD)/image-layouts/$$i > /dev/null || exit 1; \
	    $(call pack_layout,$(BUILD)/image-layouts/$$i,$(BUILD)/images/$$i.tar); done
	for k in $(HOSTILE_IMAGES); do $(DOTNET) $(IMAGE_TOOL) hostile $$k $(BUILD)/image-layouts/hostile/$$k > /dev/null || exit 1; \
	    $(call pack_layout,$(BUILD)/image-layouts/hostile/$$k,$(BUILD)/images/hostile/$$k.tar); done
	@touch $@

# ---- The disk: build/disk.img, a file system made from userland/Disk ------------------------------
# tools/DiskTools's mkfs (built by the configure step, like AsmLayout) lays out the regions of
# abi/DiskFormat.cs and copies the folder in; docs/tools/disk.md draws the result. The image is
# sparse: 128 MiB on paper, a few blocks on the host. It is rebuilt only when the tool or the
# folder changes (a folder's time changes when a name is added or removed), so what the kernel
# writes to it survives from one boot to the next; `rm build/disk.img` starts again from the folder.
DISK_IMAGE := $(BUILD)/disk.img
DISK_MIB   := 128
DISK_FILES := $(shell find userland/Disk)
# mkfs makes every inode root's (the host's owners mean nothing on TeachOS); these are the exceptions:
# /disk/home/student (0755) and its README are the student's (uid and gid 1000, /etc/passwd), so a
# student logged in by `make run` has a place on the disk to create files that outlive a reboot.
DISK_OWNERS := --owner home/student=1000:1000 --owner home/student/README.txt=1000:1000

$(DISK_IMAGE): $(DISK_TOOL) $(DISK_FILES)
	@mkdir -p $(BUILD)
	$(DOTNET) $(DISK_TOOL) mkfs $@ $(DISK_MIB) userland/Disk $(DISK_OWNERS) || { rm -f $@; exit 1; }

# ---- The bootable ISO ---------------------------------------------------------------------------
ISO := iso/teachos.iso

$(ISO): $(BUILD)/kernel.stripped.elf $(BUILD)/initrd.tar iso/grub.cfg
	rm -rf $(BUILD)/iso-root
	mkdir -p $(BUILD)/iso-root/boot/grub
	cp $(BUILD)/kernel.stripped.elf $(BUILD)/iso-root/boot/kernel.elf
	cp $(BUILD)/initrd.tar $(BUILD)/iso-root/boot/initrd.tar
	cp iso/grub.cfg $(BUILD)/iso-root/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso-root 2> $(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ---- Targets for people -----------------------------------------------------------------------
.PHONY: iso kernel setup run boot qemu-gdb gdb gdb-batch test bench trace profile grade handin autograder lab-start disk-image fuzz fsck crash-explore clean

setup:
	@tools/setup.sh

kernel: $(BUILD)/kernel.elf $(BUILD)/kernel.bin $(BUILD)/initrd.tar

# The package check first, and alone: on a new machine it installs nasm and the rest the build needs.
# The disk image comes along: run, boot and the tests attach it.
iso: setup
	@$(MAKE) --no-print-directory $(ISO) kernel $(DISK_IMAGE)

# Boots the ISO (GRUB, Multiboot 2) with the serial console on this terminal. FORWARD=H:G: the host's
# port H (127.0.0.1) leads to the guest's port G, so `httpd` in TeachOS answers `curl localhost:8080`
# on the host (FORWARD= for none, when 8080 is taken on the host).
FORWARD ?= 8080:8080
run: iso
	tools/run-qemu.sh --iso --smp $(SMP) $(DISK_ARG) $(NET_ARG) $(if $(FORWARD),--forward $(FORWARD))

# Boots headless with CMDLINE through QEMU's fast path; exits with the kernel's status.
boot: iso
	tools/run-qemu.sh --headless --timeout $(TIMEOUT) --smp $(SMP) $(DISK_ARG) $(NET_ARG) --cmdline "$(CMDLINE)"

.gdbinit: tools/gdb/gdbinit.template
	sed "s/@GDBPORT@/$(GDBPORT)/" $< > $@

# xv6's pair: `make qemu-gdb` in one terminal, `make gdb` in another. The kernel command-line word
# `gdb` makes a panic wait for the debugger instead of ending the run (Diagnostics/Panic.cs).
qemu-gdb: iso .gdbinit
	@echo "QEMU is frozen, waiting for GDB on port $(GDBPORT): run 'make gdb' in another terminal."
	tools/run-qemu.sh --smp $(SMP) --gdb $(GDBPORT) $(DISK_ARG) $(NET_ARG) --cmdline "gdb $(CMDLINE)"

# GDB_SCRIPT=file: run that file's GDB commands after attaching, then exit (batch mode).
gdb: .gdbinit
	gdb -q -nx -x .gdbinit $(if $(GDB_SCRIPT),-batch -x $(GDB_SCRIPT))

# A GDB script against a QEMU of its own, start to end: make gdb-batch GDB_SCRIPT=file CMDLINE="..."
gdb-batch: iso
	@tools/gdb/batch.sh $(GDB_SCRIPT) "$(CMDLINE)" $(SMP) $(if $(filter command line,$(origin TIMEOUT)),$(TIMEOUT),300)

test: iso
	tools/test.sh

# Checks the disk image (tools/DiskTools, docs/tools/disk.md): every block accounted for once, the
# bitmap, link counts, the directory tree. FSCK_ARGS="--list" lists its files instead,
# FSCK_ARGS="--extract /README.txt" prints one. DISK=path checks another image.
fsck: $(DISK_TOOL)
	$(DOTNET) $(DISK_TOOL) fsck $(or $(DISK),$(DISK_IMAGE)) $(FSCK_ARGS)

# The crash explorer (tools/DiskTools/Explore; the guide's chapter 8): boots the crashload workload
# WORKLOAD (a, b or c: userland/Programs/crashload.cs) with disk-trace on, on a fresh copy of the disk
# image, then replays every crash point of the trace (and the reorderings allowed between flushes)
# onto the copy taken before the boot: recovery, fsck and the workload's model on each. Fails if any
# state does. EXPLORE_ARGS="--timeline" draws the run; "--subsets N" caps the reorderings per point.
WORKLOAD ?= a
crash-explore: iso
	@mkdir -p $(BUILD)/crash
	cp $(DISK_IMAGE) $(BUILD)/crash/base-$(WORKLOAD).img
	cp $(DISK_IMAGE) $(BUILD)/crash/disk-$(WORKLOAD).img
	tools/run-qemu.sh --headless --timeout $(TIMEOUT) --smp $(SMP) --disk $(BUILD)/crash/disk-$(WORKLOAD).img \
	    --cmdline "disk-trace init=/bin/crashload $(WORKLOAD)" > $(BUILD)/crash/log-$(WORKLOAD).txt
	$(DOTNET) $(DISK_TOOL) explore $(BUILD)/crash/base-$(WORKLOAD).img $(BUILD)/crash/log-$(WORKLOAD).txt $(EXPLORE_ARGS)

# Grades an assignment (docs/assignments/): builds the tree as it is, boots the assignment's test
# program, prints a line per check and "Score: x/y" (V=1: the serial log too). tools/grade.sh builds.
# T=PART runs one part of the assignment (T=a,b several); FORMAT=json also writes Gradescope's
# results.json, FORMAT=classroom GitHub Classroom's (to OUTPUT, else build/). Below full, make fails.
# SUBMISSIONS="DIR|PATCH|TARBALL ..." grades students' work with this tree's own grader instead
# (tools/grade-submissions.sh): each on a fresh copy that takes only the files a student may change.
grade: setup
	@$(if $(SUBMISSIONS),tools/grade-submissions.sh $(A) $(SUBMISSIONS),tools/grade.sh $(if $(V),-v) $(if $(T),--only $(T)) $(if $(FORMAT),--format $(FORMAT)) $(if $(OUTPUT),--output $(OUTPUT)) $(A))

# Packs the student's work on assignment A into build/handin-A.tar.gz: the changes since the commit
# the lab started from (BASE, else the merge base with the upstream branch, else the first commit) as
# a patch and as files, time.txt and answers-A.txt; refuses a tree that does not build (tools/handin.sh).
handin:
	@tools/handin.sh $(if $(BASE),--base $(BASE)) $(A)

# Packs what Gradescope runs for assignment A into build/autograder-A.zip (docs/assignments/README.md).
autograder:
	@tools/autograder/pack.sh $(A)

# Starts lab A whose starting point takes a feature out of the tree (assignments/A/start.patch):
# applies that patch to a clean checkout and commits it, so `make handin` hands in only what
# follows (tools/lab-start.sh). Labs without a start.patch start from the tree as it is.
lab-start:
	@tools/lab-start.sh $(A)

# A fresh disk image at IMAGE, MIB MiB (default $(DISK_MIB)), made by mkfs from userland/Disk (owners as above): the
# grader gives each boot of a part declared with --disk one of its own (tools/grade.sh).
disk-image: $(DISK_TOOL)
	@$(if $(IMAGE),,$(error give IMAGE=path))$(DOTNET) $(DISK_TOOL) mkfs $(IMAGE) $(or $(MIB),$(DISK_MIB)) userland/Disk $(DISK_OWNERS)

# TeachOS attacks itself (userland/Programs/fuzz.cs, docs/guide/04-syscalls.md): CALLS random syscalls
# from SEED, then every hostile scenario (FUZZ_SCENARIOS, default all; FUZZ_SKIP leaves out the
# arguments of known bugs by name). Prints a line per failure with its smallest reproduction, and
# the figures: calls made and calls per second. Exits with the number of failures. Try SMP=4,cores=2,threads=2.
SEED ?= 1
CALLS ?= 100000
FUZZ_SCENARIOS ?= all
FUZZ_SKIP ?=
FUZZ_TIMEOUT ?= 1800
fuzz: iso
	tools/run-qemu.sh --headless --timeout $(FUZZ_TIMEOUT) --smp $(SMP) \
		--cmdline "init=/bin/fuzz $(SEED) $(CALLS) $(FUZZ_SCENARIOS)$(if $(FUZZ_SKIP), --skip $(FUZZ_SKIP))"

# Prints the figures (build and boot times, sizes, syscall and switch costs), "name: value unit".
bench: iso
	@tools/bench.sh

# The scheduler as a picture: boot a workload with trace-sched (TRACE_INIT, default the demo), turn
# the trace the kernel prints into an SVG timeline (tools/SchedTrace), one lane per logical CPU.
# Writes build/trace.svg. Try: make trace SMP=4,cores=2,threads=2 TRACE_INIT="/bin/threadtests smt-placement"
TRACE_INIT ?= /bin/schedemo
trace: iso
	tools/run-qemu.sh --headless --timeout 60 --smp $(SMP) --cmdline "trace-sched init=$(TRACE_INIT)" > $(BUILD)/trace.log
	$(DOTNET) build tools/SchedTrace/SchedTrace.csproj -c $(CONFIG) -v:q -nologo -clp:ErrorsOnly
	$(DOTNET) tools/SchedTrace/bin/$(CONFIG)/net10.0/SchedTrace.dll $(BUILD)/trace.log -o $(BUILD)/trace.svg \
		--title "$(TRACE_INIT), -smp $(SMP)"
	@echo "wrote $(BUILD)/trace.svg"

# Where the time goes, as a flame graph: boot CMDLINE (default the benchmarks' main paths) with
# `profile` under -icount (a timer tick every million guest instructions, the same on every run),
# fold the samples with the kernel's and the program's symbols (tools/Profile) into
# build/profile.folded, draw build/profile.svg and print the hottest functions.
# Try: make profile CMDLINE="init=/bin/bench paths"
PROFILE_CMDLINE = $(if $(CMDLINE),$(CMDLINE),init=/bin/bench paths)
PROFILE_PROGRAM = $(notdir $(firstword $(subst init=,,$(filter init=%,$(PROFILE_CMDLINE)))))
profile: iso
	tools/run-qemu.sh --headless --icount --timeout $(TIMEOUT) --smp $(SMP) --cmdline "profile $(PROFILE_CMDLINE)" > $(BUILD)/profile.log
	$(DOTNET) build tools/Profile/Profile.csproj -c $(CONFIG) -v:q -nologo -clp:ErrorsOnly
	$(DOTNET) tools/Profile/bin/$(CONFIG)/net10.0/Profile.dll $(BUILD)/profile.log --kernel $(BUILD)/kernel.elf \
		--user $(BUILD)/user/$(PROFILE_PROGRAM).elf --folded $(BUILD)/profile.folded -o $(BUILD)/profile.svg \
		--title "$(PROFILE_CMDLINE), -smp $(SMP)"
	@echo "wrote $(BUILD)/profile.folded and $(BUILD)/profile.svg"

clean:
	rm -rf $(BUILD) $(ISO) .gdbinit
	find runtime kernel userland analyzers tools tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + 2>/dev/null || true
