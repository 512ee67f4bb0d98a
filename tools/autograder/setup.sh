#!/usr/bin/env bash
# Gradescope runs this once, as root, when the autograder is uploaded; the image it leaves is the one
# every submission is graded in. The package's layout (made by tools/autograder/pack.sh):
#   /autograder/source/setup.sh, run_autograder, assignment   this script, the grader, the name
#   /autograder/source/teachos/                                the starting tree
# Gradescope's images are Ubuntu; TeachOS's package names are the same there as on Debian 12.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")" && pwd)
tree=$source_dir/teachos

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# What a bare image lacks besides TeachOS's own list: make, git (git apply, for patch submissions),
# curl for Microsoft's install script, and ICU, which the .NET SDK needs.
apt-get install -y -qq make git curl ca-certificates libicu-dev
# TeachOS's Debian packages, from tools/packages.txt, through the script every machine uses.
"$tree/tools/setup.sh"

# The .NET SDK, by Microsoft's install script (https://learn.microsoft.com/dotnet/core/tools/dotnet-install-script),
# channel 10.0: the SDK picks its ILCompiler, as on a student's machine.
curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet
ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Build the starting tree once: the NuGet packages (ILCompiler among them) land in the image, and a
# submission's build only recompiles what it changed.
make -C "$tree" -s kernel
