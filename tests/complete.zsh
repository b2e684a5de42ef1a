# zsh -f tests/complete.zsh SCRIPT LINE OUT
# What zsh's completion system offers for LINE (the cursor at its end) with
# the completion function in SCRIPT loaded: the matches each completion
# function adds, one a line, written to OUT.  An interactive zsh runs on a
# pseudo-terminal (zsh/zpty), with compinit and a compadd that notes its
# matches; LINE is typed followed by a Tab.  Fails when zsh did not finish
# completing within ten seconds.
zmodload zsh/zpty || exit 1
script=$1 line=$2 out=$3
: >"$out" || exit 1
rm -f "$out.done"
# What the interactive zsh runs first, from a file: typed, a tab would complete.
cat >"$out.rc" <<SETUP || exit 1
PS1='' PROMPT_EOL_MARK=''
unsetopt zle_bracketed_paste
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' insert-tab false
compadd() {
	local -a got
	if (( \${@[(I)-[OAD]]} )); then
		builtin compadd "\$@"
		return
	fi
	builtin compadd -A got "\$@"
	(( \$#got )) && print -rl -- \$got >>${(q)out}
	builtin compadd "\$@"
}
perfcomp_done() { : >${(q)out}.done; }
comppostfuncs=(perfcomp_done)
source ${(q)script}
SETUP
zpty perfcomp zsh -f -i || exit 1
zpty -w perfcomp "source ${(q)out}.rc"
zpty -w -n perfcomp "$line"$'\t'
i=0
while [[ ! -e $out.done ]] && (( i < 200 )); do
	sleep 0.05
	i=$((i + 1))
done
zpty -d perfcomp
rm -f "$out.rc"
[[ -e $out.done ]]
