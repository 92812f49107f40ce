#!/bin/sh
# links.sh DIR: for every page DIR/P.3, a DIR/NAME.3 holding ".so man3/P.3"
# for each other function its NAME section lists.
set -eu
for p in "$1"/*.3; do
	base=$(basename "$p" .3)
	grep -q '^\.so ' "$p" && continue
	sed -n '/^\.SH NAME/,/\\-/p' "$p" | sed '1d; s/\\-.*//' | tr ', ' '\n\n' |
	while read -r n; do
		if [ -n "$n" ] && [ "$n" != "$base" ]; then
			echo ".so man3/$base.3" > "$1/$n.3"
		fi
	done
done
