#!/usr/bin/env bash
# Makes .venv with a Python that can run the guide (3.11 or newer) and installs a requirements file into it.
# Usage: ensure-venv.sh PYTHON VENV REQUIREMENTS STAMP
# A .venv made by another Python (or a broken one) is made anew: a stale venv is the usual cause of odd pip errors.
set -euo pipefail
python="$1" venv="$2" requirements="$3" stamp="$4"

version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

wanted=$(version "$python") || {
  echo "ensure-venv: '$python' is not a Python interpreter on this machine." >&2
  echo "Pick one with: make PYTHON=python3.12 <target>" >&2
  exit 1
}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "ensure-venv: the guide needs Python 3.11 or newer; '$python' is Python $wanted." >&2
  echo "Pick another with: make PYTHON=python3.12 <target> (any python3.11 or newer on your PATH)" >&2
  exit 1
fi
if [ -e "$venv" ]; then
  have=$(version "$venv/bin/python" || true)
  if [ "$have" != "$wanted" ]; then
    echo "ensure-venv: $venv was made by Python ${have:-?} (or is broken); making it anew with Python $wanted." >&2
    rm -rf "$venv"
  fi
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
if [ ! -e "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
