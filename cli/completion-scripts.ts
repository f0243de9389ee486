/**
 * Shell completion scripts (`kitcfg completion SHELL`). Each asks the binary itself for the
 * words (`kitcfg __complete ...`), so commands, daemons (user plugins too), instances on
 * disk and key paths stay current; `--root DIR` on the line is passed along.
 */

/** Flags whose next word is their value, not a positional argument. */
const VALUE_FLAGS =
  "--root|--lock-timeout|--color|--instance|--set|--set-env|--unset|--profile|" +
  "--source|--from|--to|--host|--port|--token-file";

export const BASH_COMPLETION = `# kitcfg completion for bash: source <(kitcfg completion bash)
_kitcfg() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} exe=\${COMP_WORDS[0]}
  local i cmd="" cmdi=0 daemon="" pos=0 root=()
  for ((i = 1; i < \${#COMP_WORDS[@]}; i++)); do
    [[ \${COMP_WORDS[i]} == --root ]] && root=(--root "\${COMP_WORDS[i+1]}")
  done
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${VALUE_FLAGS}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=\${COMP_WORDS[i]}; cmdi=$i; \
else ((pos++)); ((pos == 1)) && daemon=\${COMP_WORDS[i]}; fi ;;
    esac
  done
  local words
  if [[ -z $cmd ]]; then
    if [[ $prev == --root ]]; then COMPREPLY=($(compgen -d -- "$cur")); return; fi
    words=$("$exe" __complete commands 2>/dev/null)
  elif [[ $cmd == help ]]; then
    words=$("$exe" __complete commands 2>/dev/null)
  elif [[ $cmd == completion ]]; then
    words="bash zsh fish"
  else
    case $prev in
      --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
      --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
      --instance) words=$("$exe" __complete instances "$daemon" "\${root[@]}" 2>/dev/null) ;;
      --unset) words=$("$exe" __complete keys "$daemon" "\${root[@]}" 2>/dev/null) ;;
      --set | --set-env)
        compopt -o nospace 2>/dev/null
        COMPREPLY=($(compgen -S = -W "$("$exe" __complete keys "$daemon" "\${root[@]}" 2>/dev/null)" -- "$cur"))
        return ;;
      ${VALUE_FLAGS}) return ;;
      *)
        if [[ $cur == -* ]]; then
          words=$("$exe" __complete flags "$cmd" 2>/dev/null)
        elif ((pos == 0)); then
          words=$("$exe" __complete daemons "\${root[@]}" 2>/dev/null)
          [[ $cmd == configure || $cmd == repair ]] && words+=" all"
        elif ((pos == 1)) && [[ $cmd =~ ^(get|set|unset|show|keys)$ ]]; then
          words=$("$exe" __complete keys "$daemon" "\${root[@]}" 2>/dev/null)
        fi ;;
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _kitcfg kitcfg
`;

export const ZSH_COMPLETION = `# kitcfg completion for zsh: source <(kitcfg completion zsh)
# The bash completion, through zsh's bashcompinit.
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${BASH_COMPLETION}`;

export const FISH_COMPLETION =
  "# kitcfg completion for fish: kitcfg completion fish > ~/.config/fish/completions/kitcfg.fish\n" +
  `function __kitcfg_words
    set -l tokens (commandline -opc)
    set -l root
    if set -l i (contains -i -- --root $tokens)
        set root --root $tokens[(math $i + 1)]
    end
    set -l rest
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case ${VALUE_FLAGS.split("|").join(" ")}
                set skip 1
            case '-*'
            case '*'
                set rest $rest $t
        end
    end
    set -l prev $tokens[-1]
    if string match -q -- '-*' (commandline -ct)
        # A flag: the command's own (every command's before one is named).
        if test (count $rest) -gt 0
            kitcfg __complete flags $rest[1]
        end
        return
    end
    switch (count $rest)
        case 0
            kitcfg __complete commands
        case 1
            if contains -- $prev --instance
                return
            end
            switch $rest[1]
                case completion
                    printf '%s\\n' bash zsh fish
                case help
                    kitcfg __complete commands
                case configure repair
                    kitcfg __complete daemons $root
                    echo all
                case '*'
                    kitcfg __complete daemons $root
            end
        case '*'
            if contains -- $prev --instance
                kitcfg __complete instances $rest[2] $root
            else if contains -- $prev --set --set-env
                # KEY=VALUE: the key, then its value is typed after "=" (no space).
                kitcfg __complete keys $rest[2] $root | string replace -r '$' =
            else if contains -- $rest[1] get set unset show keys; or contains -- $prev --unset
                kitcfg __complete keys $rest[2] $root
            end
    end
end
complete -c kitcfg -f -a '(__kitcfg_words)'
complete -c kitcfg -l root -r -a '(__fish_complete_directories)'
complete -c kitcfg -l color -x -a 'auto always never'
complete -c kitcfg -l json -d 'One JSON document on stdout'
complete -c kitcfg -s q -l quiet -d 'No success or info lines'
complete -c kitcfg -l instance -x -a '(__kitcfg_words)'
`;
