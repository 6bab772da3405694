#!/usr/bin/env bash
# Make .venv a Python 3.13 virtualenv holding requirements-dev.txt and this project (editable, for the
# `sagemaker-autoscaler` command). Idempotent and quiet: pip runs only when requirements-dev.txt or
# pyproject.toml changed since the last successful install (their sha256 is kept in .venv/.deps-stamp).
# Prints one line (on stderr, so callers' stdout stays theirs).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

venv=.venv
requirements="requirements-dev.txt"
stamp="$venv/.deps-stamp"

is_python313() {
    [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1
}

# python3.13 on PATH first; a pyenv shim counts only if it actually runs 3.13 here (a shim for a
# version that is installed but not selected fails), else any pyenv-installed 3.13, newest first.
find_python313() {
    local candidate roots=()
    if candidate="$(command -v python3.13 2>/dev/null)" && is_python313 "$candidate"; then
        echo "$candidate"
        return 0
    fi
    if command -v pyenv >/dev/null 2>&1; then
        roots+=("$(pyenv root)")
    fi
    roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
    for root in "${roots[@]}"; do
        while IFS= read -r candidate; do
            if is_python313 "$candidate"; then
                echo "$candidate"
                return 0
            fi
        done < <(printf '%s\n' "$root"/versions/3.13*/bin/python3.13 | sort -rV)
    done
    return 1
}

created=""
if ! is_python313 "$venv/bin/python"; then
    if ! python313="$(find_python313)"; then
        echo "bootstrap: Python 3.13 not found: put python3.13 on PATH or install it with 'pyenv install 3.13'" >&2
        exit 1
    fi
    rm -rf "$venv"
    "$python313" -m venv "$venv"
    created="created .venv, "
fi

wanted="$("$venv/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(b"".join(open(p, "rb").read() for p in sys.argv[1:])).hexdigest())' "$requirements" pyproject.toml)"
if [ "$(cat "$stamp" 2>/dev/null || true)" = "$wanted" ]; then
    action="$requirements unchanged"
else
    log="$venv/pip-install.log"
    echo "bootstrap: installing $requirements and this project into .venv (about 90 s the first time; pip's log: $log)..." >&2
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -r "$requirements" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "bootstrap: pip install -r $requirements failed (full log: $log)" >&2
        exit 1
    fi
    # The project itself, editable and without dependencies (the pinned ones above are what it runs with).
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --no-deps \
        --no-build-isolation -e . >>"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "bootstrap: pip install -e . failed (full log: $log)" >&2
        exit 1
    fi
    echo "$wanted" >"$stamp"
    action="installed $requirements and the project"
fi

echo "bootstrap: ${created}${action} ($("$venv/bin/python" --version))" >&2
