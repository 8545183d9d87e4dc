/** Command words offered after each word, for the shell completion scripts. */
export const COMMAND_TREE: Readonly<Record<string, readonly string[]>> = {
  sluice: [
    'connectors',
    'plugins',
    'status',
    'jobs',
    'logs',
    'completion',
    'standalone',
    'distributed',
    'mirror',
    '--help',
    '--version',
  ],
  connectors: [
    'list',
    'describe',
    'apply',
    'patch',
    'pause',
    'resume',
    'stop',
    'restart',
    'delete',
    'offsets',
  ],
  offsets: ['get', 'reset', 'alter'],
  plugins: ['list', 'describe'],
  jobs: ['start', 'list', 'watch', 'describe', 'cancel', 'retry'],
  completion: ['bash', 'zsh'],
};

const OPTIONS = '--url --output -o --file -f --failed --all --unset --dry-run --interval --help';

/**
 * A bash completion script (zsh loads it through bashcompinit): command words from COMMAND_TREE,
 * connector names from the worker (`sluice connectors list -o json`) after a connector verb.
 */
export function completionScript(shell: 'bash' | 'zsh'): string {
  const cases = Object.entries(COMMAND_TREE)
    .map(([word, next]) => `    ${word}) words="${next.join(' ')}" ;;`)
    .join('\n');
  const bash = `_sluice() {
  local cur prev words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "\${prev##*/}" in
${cases}
    describe|patch|pause|resume|stop|restart|delete|get|reset|alter)
      words="$(sluice connectors list -o json 2>/dev/null | sed -n 's/^ *"name": "\\(.*\\)",$/\\1/p')" ;;
    -o|--output) words="table json yaml" ;;
    -f|--file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    *) words="${OPTIONS}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _sluice sluice
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}
