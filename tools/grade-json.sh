# The grader's result as JSON, in the form Gradescope reads from /autograder/results/results.json
# (https://gradescope-autograders.readthedocs.io/en/latest/specs/). Sourced by tools/grade.sh,
# which calls record_check for every check and write_results_json at the end. What is written is
# described, field by field, by docs/assignments/results.schema.json; tests/Assignments validates
# every grade it runs against that schema.
#
# Only fields Gradescope documents are written, so that it never refuses a result: the maximum
# score, which Gradescope takes from the assignment's settings, is in extra_data.

check_names=() check_scores=() check_maxima=() check_statuses=() check_outputs=()

# record_check NAME SCORE MAX_SCORE passed|failed OUTPUT: one entry of "tests".
record_check() {
    check_names+=("$1")
    check_scores+=("$2")
    check_maxima+=("$3")
    check_statuses+=("$4")
    check_outputs+=("$5")
}

# json_string TEXT: prints TEXT as a JSON string, quotes included. JSON (RFC 8259, section 7)
# requires the quote, the backslash and the control characters U+0000 to U+001F to be escaped.
json_string() {
    local text=$1 code character
    text=${text//\\/\\\\}
    text=${text//\"/\\\"}
    text=${text//$'\n'/\\n}
    text=${text//$'\t'/\\t}
    text=${text//$'\r'/\\r}
    for code in $(seq 1 31); do
        printf -v character "\\x$(printf %02x "$code")"
        [[ $text == *"$character"* ]] || continue
        text=${text//"$character"/$(printf '\\u%04x' "$code")}
    done
    printf '"%s"' "$text"
}

# write_results_json FILE: the whole result. The serial log may hold bytes that are not UTF-8
# (a kernel printing garbage before it panics); JSON must be UTF-8, so iconv drops them.
write_results_json() {
    local file=$1 i
    mkdir -p "$(dirname "$file")"
    {
        printf '{\n'
        printf '  "score": %d,\n' "$score"
        printf '  "execution_time": %d,\n' "$SECONDS"
        printf '  "output": %s,\n' "$(json_string "${notes}Score: $score/$total")"
        printf '  "output_format": "text",\n'
        printf '  "test_output_format": "text",\n'
        printf '  "extra_data": { "assignment": %s, "max_score": %d },\n' "$(json_string "$name")" "$total"
        printf '  "tests": ['
        for i in "${!check_names[@]}"; do
            [ "$i" -gt 0 ] && printf ','
            printf '\n    {\n'
            printf '      "name": %s,\n' "$(json_string "${check_names[$i]}")"
            printf '      "score": %d,\n' "${check_scores[$i]}"
            printf '      "max_score": %d,\n' "${check_maxima[$i]}"
            printf '      "status": "%s",\n' "${check_statuses[$i]}"
            printf '      "output": %s\n' "$(json_string "${check_outputs[$i]}")"
            printf '    }'
        done
        printf '\n  ]\n}\n'
    } | iconv -f UTF-8 -t UTF-8 -c > "$file"
}

# write_classroom_json FILE: the same result in the form GitHub Classroom's reporter action
# (classroom-resources/autograding-grading-reporter) reads from a grading step's output, base64-
# encoded: a status for the whole run, the maximum, and per test a status, the points earned and a
# message. The reporter adds up the tests' scores and reports "Points x/y" to the classroom.
write_classroom_json() {
    local file=$1 i status=pass
    [ "$score" = "$total" ] || status=fail
    mkdir -p "$(dirname "$file")"
    {
        printf '{ "version": 1, "status": "%s", "max_score": %d, "tests": [' "$status" "$total"
        for i in "${!check_names[@]}"; do
            [ "$i" -gt 0 ] && printf ','
            printf '\n  { "name": %s, "status": "%s", "score": %d, "message": %s }' \
                "$(json_string "${check_names[$i]}")" \
                "$([ "${check_statuses[$i]}" = passed ] && echo pass || echo fail)" \
                "${check_scores[$i]}" "$(json_string "${check_outputs[$i]}")"
        done
        printf '\n] }\n'
    } | iconv -f UTF-8 -t UTF-8 -c > "$file"
}
