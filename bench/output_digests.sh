#!/bin/sh
# The edition's outputs, digested: a refactoring that must not change what readers
# get is checked by running this before and after and comparing the files.
#
#   bench/output_digests.sh OUTDIR    (from the repository root)
#
# Builds HTML, LaTeX (.tex and friends; no PDF), EPUB and HTML with an address
# (which adds the W3C annotation copy) with a fixed SOURCE_DATE_EPOCH into OUTDIR,
# and writes OUTDIR/digests.txt (sha256 of every output file) and
# OUTDIR/combined.txt (one digest per builder).  Compare: diff A/digests.txt B/digests.txt
set -e
OUT=${1:?usage: bench/output_digests.sh OUTDIR}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796323286}
SPHINX=".venv/bin/sphinx-build -q -W --keep-going -c conf"
rm -rf "$OUT"; mkdir -p "$OUT"
build() {  # name, extra options...
  name=$1; shift
  $SPHINX -d "$OUT/doctrees-$name" "$@" docs "$OUT/$name" >"$OUT/$name.log" 2>&1 \
    || { echo "build $name failed:"; cat "$OUT/$name.log"; exit 1; }
}
build html -b html
build latex -b latex
build epub -b epub
build htmlurl -b html -D html_baseurl=https://edition.example.org/
: >"$OUT/digests.txt"; : >"$OUT/combined.txt"
for b in html latex epub htmlurl; do
  (cd "$OUT/$b" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sed "s|  \./|  $b/|" >>"$OUT/digests.txt"
  printf '%s %s\n' "$b" "$(grep "  $b/" "$OUT/digests.txt" | sha256sum | cut -c1-64)" >>"$OUT/combined.txt"
done
cat "$OUT/combined.txt"
