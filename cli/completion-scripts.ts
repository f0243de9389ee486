/**
 * Shell completion scripts (`kitcfg completion SHELL`). Each hands the words of the command
 * line to the binary itself (`kitcfg __complete line`, cli/commands/complete.ts), which reads
 * them as the command will (flags that take a value, `--root`, `--plugins`) and answers with
 * commands, daemons (user plugins too), instances on disk, key paths or flag values. So the
 * scripts only pass words in and candidates out, and the three shells agree.
 */

export const BASH_COMPLETION = `# kitcfg completion for bash: source <(kitcfg completion bash)
_kitcfg() {
  local i w cur=\${COMP_WORDS[COMP_CWORD]} line=() answer=()
  # bash splits words at "=" and ":" (COMP_WORDBREAKS): join them again, as the command gets them.
  for ((i = 1; i <= COMP_CWORD; i++)); do
    if ((\${#line[@]})) && [[ \${COMP_WORDS[i]} =~ ^[=:]+$ || \${COMP_WORDS[i-1]} =~ ^[=:]+$ ]]; then
      line[-1]+=\${COMP_WORDS[i]}
    else
      line+=("\${COMP_WORDS[i]}")
    fi
  done
  # What TAB replaces: the word after its last "=" or ":".
  [[ $cur =~ ^[=:]+$ ]] && cur=
  # COMP_WORDS are as typed: the command takes the quotes and backslashes out (--quoted).
  mapfile -t answer < <(printf '%s\\0' "\${line[@]}" | "\${COMP_WORDS[0]}" __complete line --quoted 2>/dev/null)
  COMPREPLY=()
  case \${answer[0]} in
    dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    files) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    words)
      for w in "\${answer[@]:1}"; do
        [[ $w == "\${line[-1]}"* ]] && COMPREPLY+=("\${w:\${#line[-1]}-\${#cur}}")
      done
      # A KEY= is followed by its value.
      [[ \${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null ;;
  esac
}
complete -F _kitcfg kitcfg
`;

export const ZSH_COMPLETION = `# kitcfg completion for zsh: source <(kitcfg completion zsh)
(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }
_kitcfg() {
  local -a answer keyed
  answer=("\${(@f)$(print -rN -- "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" |
    \${(Q)words[1]} __complete line 2>/dev/null)}")
  # A folder or file after --flag= : the part after the "=".
  [[ $answer[1] == (dirs|files) && $PREFIX == -* ]] && compset -P 1 '*='
  case $answer[1] in
    dirs) _files -/ ;;
    files) _files ;;
    words)
      # A KEY= is followed by its value: no space after it.
      keyed=(\${(M)answer[2,-1]:#*=})
      compadd -S '' -a keyed
      keyed=(\${answer[2,-1]:#*=})
      compadd -a keyed ;;
  esac
}
compdef _kitcfg kitcfg
`;

// fish adds no space after a candidate ending in "=" (or "/") by itself.
export const FISH_COMPLETION =
  "# kitcfg completion for fish: kitcfg completion fish > ~/.config/fish/completions/kitcfg.fish\n" +
  `function __kitcfg_complete
    set -l cur (commandline -ct)
    set -l typed (commandline -opc)[2..-1] "$cur"
    set -l answer (string join0 -- $typed | kitcfg __complete line 2>/dev/null)
    # A folder or file after --flag= : the part after the "=", then the flag put back.
    set -l flag (string match -r -- '^-[^=]*=' "$cur")
    set -l path (string replace -r -- '^-[^=]*=' '' "$cur")
    switch "$answer[1]"
        case words
            string join \\n -- $answer[2..-1]
        case dirs
            __fish_complete_directories "$path" | string replace -r -- '^' "$flag"
        case files
            __fish_complete_path "$path" | string replace -r -- '^' "$flag"
    end
end
complete -c kitcfg -f -a '(__kitcfg_complete)'
complete -c kitcfg -l json -d 'One JSON document on stdout'
complete -c kitcfg -s q -l quiet -d 'No success or info lines'
`;
