import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { hashPassword, hashToken } from '../auth/index.ts';

/** Where the command reads secrets from and writes results to (injectable for in-process tests). */
export interface TokenIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo = (): TokenIo => ({
  stdin: process.stdin,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});

/** All of stdin, minus one trailing newline (what `echo secret |` or a heredoc adds). */
async function readSecret(io: TokenIo, what: string): Promise<string> {
  if (io.stdin.isTTY === true) io.err(`reading ${what} from stdin (end with Ctrl-D)\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** `osproxy token hash|new`: produce the hashes that config stores instead of secrets. */
export function tokenCommand(io: TokenIo = defaultIo()): Command {
  const token = new Command('token').description('make bearer tokens and password hashes for the config');

  token
    .command('hash')
    .description('print the SHA-256 of a token (principals[].token_sha256), or with --password the scrypt hash (password_scrypt)')
    .argument('[secret]', 'the token or password; read from stdin when omitted (keeps it out of shell history)')
    .option('--password', 'hash a password with scrypt instead of a token with SHA-256')
    .action(async function (this: Command, secret: string | undefined, opts: { password?: boolean }) {
      const what = opts.password === true ? 'password' : 'token';
      const value = secret ?? (await readSecret(io, what));
      if (value === '') this.error(`error: empty ${what}`, { exitCode: 2, code: 'osproxy.emptySecret' });
      io.out((opts.password === true ? await hashPassword(value) : hashToken(value)) + '\n');
    });

  token
    .command('new')
    .description('print a new random bearer token (32 bytes, base64url) and its SHA-256 for the config')
    .action(() => {
      const secret = randomBytes(32).toString('base64url');
      io.out(`token: ${secret}\ntoken_sha256: ${hashToken(secret)}\n`);
    });

  token
    .command('key')
    .description('print a new random key (32 bytes, base64) for tenancy.cursor_key_b64')
    .action(() => {
      io.out(`cursor_key_b64: ${randomBytes(32).toString('base64')}\n`);
    });

  return token;
}
