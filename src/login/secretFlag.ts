import { REDACTED } from '../shared/redaction.js';

/**
 * The value of --client-secret, taken out of the command line before oclif parses it. A parse
 * error quotes what it could not place (sf-plugins-core then suggests `--client-secret "S stray"`,
 * on stderr and in the --json actions); with the value withdrawn, no message can repeat it.
 *
 * Also after `--`: there oclif takes `--client-secret S` for two arguments, and the command, which
 * takes none, names both in its error ("Unexpected arguments: --client-secret, S"). Withdrawn, the
 * error names the placeholder; the value is still returned, so that every message is redacted of
 * it, and the parse fails anyway (a value after `--` is never used as the secret).
 */

/** What oclif parses in place of the secret: the mark that stands for a secret in every message. */
export const SECRET_PLACEHOLDER = REDACTED;

const FLAG = '--client-secret';

/** argv with every value of --client-secret (as `--client-secret S` or `--client-secret=S`) replaced, and the values. */
export const withdrawSecretFlag = (argv: string[]): { argv: string[]; values: string[] } => {
  const out: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === FLAG && i + 1 < argv.length) {
      values.push(argv[i + 1]);
      out.push(FLAG, SECRET_PLACEHOLDER);
      i++;
    } else if (arg.startsWith(`${FLAG}=`)) {
      values.push(arg.slice(FLAG.length + 1));
      out.push(`${FLAG}=${SECRET_PLACEHOLDER}`);
    } else {
      out.push(arg);
    }
  }
  return { argv: out, values };
};
