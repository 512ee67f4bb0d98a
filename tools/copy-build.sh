#!/usr/bin/env bash
# Copies a tree's build outputs into a copy of that tree, so that the copy's `make` is incremental:
#
#   tools/copy-build.sh FROM TO
#
# TO already holds FROM's source files (a copy made with their modification times, cp -p), perhaps
# with some changed since: a student's submission, a lab's patch. make decides what to rebuild by
# modification times, so the outputs keep theirs (cp -a): the copy's unchanged sources are then older
# than its outputs, as in FROM, and the files changed after the copy was made are newer than
# everything, so make rebuilds what depends on them and nothing else. tools/grade-submissions.sh
# grades each submission this way, and the assignments' tests their tree copies
# (tests/Assignments/Harness/BuildOutputs.cs).
#
# The configure step (msbuild/Configure.proj) writes absolute paths into some outputs: the compiler's
# response files (build/csc/*.rsp) name the analyzers, kernel/Layers.txt and the folder for generated
# sources, and the SDK's .editorconfig files name the project's folder. Left as they are, the copy's
# compiler would read FROM's Layers.txt and write into FROM's obj/. So in every text file copied,
# FROM's path becomes TO's, and the file keeps its time: the options are the same, moved, and must
# not recompile anything. (A reconfigure in the copy, when a source file is added, writes the same.)
set -euo pipefail
[ $# -eq 2 ] && [ -d "$1" ] && [ -d "$2" ] || { echo "usage: tools/copy-build.sh FROM TO (two trees)" >&2; exit 2; }
from=$(cd "$1" && pwd) to=$(cd "$2" && pwd)

# What make and the configure step leave and read again: build/ without the grader's logs and the
# disk image (boots write to it; make makes a fresh one), and the bin/ and obj/ folders of the
# projects msbuild/Configure.proj builds.
outputs=(build/csc build/generated build/il build/obj build/user build/initrd-root
         build/ilc-path build/initrd.tar build/kernel-symbols.asm build/kernel.bin build/kernel.elf
         build/kernel.map.xml build/kernel.pass1.elf build/kernel.stripped.elf
         build/guests build/images.stamp build/images build/images-src build/image-layouts
         analyzers/TeachOS.Analyzers/bin analyzers/TeachOS.Analyzers/obj
         tools/AsmLayout/bin tools/AsmLayout/obj tools/DiskTools/bin tools/DiskTools/obj
         tools/ImageTool/bin tools/ImageTool/obj
         tools/Toolchain/obj runtime/obj kernel/obj userland/Lib/obj userland/Programs/obj)

cd "$from"
present=()
for output in "${outputs[@]}"; do [ -e "$output" ] && present+=("$output"); done
[ ${#present[@]} -gt 0 ] || exit 0               # FROM was never built: the copy builds from scratch
cp -a --parents "${present[@]}" "$to/"

# Text files (grep -I skips binary ones: objects, assemblies) that name FROM.
cd "$to"
escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }
pattern=$(escape "$from/") replacement=$(escape "$to/")
grep -rlIZF -- "$from/" "${present[@]}" | while IFS= read -r -d '' file; do
    touch -r "$file" "$file.time"
    sed -i "s|$pattern|$replacement|g" "$file"
    touch -r "$file.time" "$file"
    rm -f "$file.time"
done
