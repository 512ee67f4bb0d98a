# Applying a student's submission to the starting tree: which files it may change, and how a tree or a
# patch is put onto the tree. Sourced by run_autograder; prints what it did, for the student to read.

# apply_start_patch TREE NAME: makes the copy TREE (of the instructor's tree) the lab's starting point:
# a lab whose feature the tree already has carries assignments/NAME/start.patch, which takes it out
# (tools/lab-start.sh, which a student runs once). A student's files and patch are made against that
# starting point, so they go onto it. Prints what it did; nothing for a lab without a start.patch.
# Fails (status 1) if the patch does not apply: the instructor's tree and its patch disagree.
apply_start_patch() {
    local tree=$1 name=$2 error
    [ -f "$tree/assignments/$name/start.patch" ] || return 0
    if error=$(cd "$tree" && GIT_CEILING_DIRECTORIES=$(dirname "$tree") git apply "assignments/$name/start.patch" 2>&1); then
        echo "Starting point: the tree with assignments/$name/start.patch applied (the lab's feature taken out)"
    else
        echo "assignments/$name/start.patch does not apply to the instructor's tree; ask your instructor:"
        printf '%s\n' "$error" | head -n 20 | sed 's/^/  /'
        return 1
    fi
}

# submission_patterns TREE: the patterns of TREE's submission-files.txt, one per line.
submission_patterns() {
    sed -e 's/#.*//' "$1/tools/autograder/submission-files.txt" | awk 'NF { print $1 }'
}

# may_submit TREE PATH: whether a submission may bring PATH (relative to the repository's root).
# apply_submission reads the patterns once, into allowed_patterns.
allowed_patterns=()
may_submit() {
    local tree=$1 path=$2 pattern
    case "/$path/" in */../*|*/./*|//*) return 1 ;; esac
    # A program named like a test program (userland/Programs/sysinfotest.cs) would replace it in /bin.
    case "$path" in
        userland/Programs/*.cs)
            compgen -G "$tree/assignments/*/grade/$(basename "$path")" > /dev/null && return 1 ;;
    esac
    for pattern in "${allowed_patterns[@]}"; do
        # shellcheck disable=SC2053  # unquoted on purpose: the pattern is a pattern
        [[ $path == $pattern ]] && return 0
    done
    return 1
}

# submission_root SUBMISSION: the folder of the submission that holds the repository (the one with
# kernel/ in it, the shallowest), or nothing.
submission_root() {
    find "$1" -maxdepth 3 -type d -name kernel -not -path '*/.git/*' -printf '%d %h\n' 2>/dev/null |
        sort -n | head -n 1 | cut -d' ' -f2-
}

# list TITLE ITEMS...: prints TITLE and the items, at most 20 of them.
list() {
    local title=$1
    shift
    [ $# -gt 0 ] || return 0
    echo "$title"
    printf '  %s\n' "${@:1:20}"
    [ $# -le 20 ] || echo "  ... and $(($# - 20)) more"
}

# apply_tree BASE TREE: copies the allowed files of the submitted repository BASE that differ from TREE's.
apply_tree() {
    local base=$1 tree=$2 file path
    local changed=() refused=()
    while IFS= read -r -d '' file; do
        path=${file#"$base"/}
        if [ -L "$file" ]; then
            refused+=("$path (a symbolic link)")
        elif may_submit "$tree" "$path"; then
            cmp -s "$file" "$tree/$path" && continue
            mkdir -p "$(dirname "$tree/$path")"
            cp "$file" "$tree/$path"
            changed+=("$path")
        elif ! cmp -s "$file" "$tree/$path"; then
            refused+=("$path")
        fi
    done < <(find "$base" \( -name .git -o -name build -o -name bin -o -name obj \) -prune -o \( -type f -o -type l \) -print0 | sort -z)
    local where=${base#"$submission_dir"/}
    [ "$base" != "$submission_dir" ] || where="the submission's top folder"
    echo "Submission: the repository in $where (${#changed[@]} files differ from the starting tree)"
    list "Taken from the submission:" "${changed[@]}"
    list "Ignored (a submission may change only ${allowed_patterns[*]}):" "${refused[@]}"
}

# apply_patch PATCH TREE: applies the allowed parts of a patch made with git diff.
apply_patch() {
    local patch=$1 tree=$2 path error
    local taken=() refused=() excludes=()
    # --numstat lists the paths a patch touches, one per line after two counts.
    while IFS=$'\t' read -r _ _ path; do
        if may_submit "$tree" "$path"; then taken+=("$path"); else refused+=("$path"); excludes+=("--exclude=$path"); fi
    done < <(git apply --numstat "$patch" 2>/dev/null)
    echo "Submission: the patch $(basename "$patch")"
    # GIT_CEILING_DIRECTORIES: the tree is not a repository; git must not find one around it, or it
    # would take paths as relative to that repository's root.
    if error=$(cd "$tree" && GIT_CEILING_DIRECTORIES=$(dirname "$tree") git apply "${excludes[@]}" "$patch" 2>&1); then
        list "Applied to:" "${taken[@]}"
    else
        echo "The patch does not apply to the starting tree, so the starting tree is graded:"
        printf '%s\n' "$error" | head -n 20 | sed 's/^/  /'
    fi
    list "Ignored (a submission may change only ${allowed_patterns[*]}):" "${refused[@]}"
}

# apply_submission SUBMISSION TREE: finds what was submitted and applies it; the starting tree is
# graded as it is when nothing usable is found, with a message saying why.
apply_submission() {
    submission_dir=$1
    local tree=$2 base patches=()
    mapfile -t allowed_patterns < <(submission_patterns "$tree")
    base=$(submission_root "$submission_dir")
    mapfile -d '' patches < <(find "$submission_dir" -maxdepth 1 -type f \( -name '*.patch' -o -name '*.diff' \) -print0)
    if [ -n "$base" ]; then
        apply_tree "$base" "$tree"
    elif [ ${#patches[@]} -eq 1 ]; then
        apply_patch "${patches[0]}" "$tree"
    else
        echo "Submission: found neither a TeachOS repository (a folder with kernel/ in it) nor one patch"
        echo "file (*.patch, *.diff); the starting tree is graded. Submit from GitHub, a zip of your"
        echo "repository, or the output of git diff. What was submitted:"
        (cd "$submission_dir" && find . -maxdepth 2 | head -n 20 | sed 's/^/  /')
    fi
}
