/** The whole CLI (commander): every command; `serve` alone has a faster way in (main.ts). */
import { Command } from 'commander';
import { engineCommand } from './engine.ts';
import { devCommand } from './dev.ts';
import { compatCommand } from '../compat/cli.ts';
import { tokenCommand } from './token.ts';
import { serveCommand } from './serve.ts';
import { benchCommand } from '../bench/cli.ts';
import { instancesCommand, tenantCommand } from './tenant.ts';
import { migrateCommand } from './migrate.ts';
import { directiveCommand } from './directive.ts';
import { chaosCommand } from '../chaos/cli.ts';

export async function runProgram(argv: readonly string[]): Promise<void> {
  const program = new Command()
    .name('osproxy')
    .description('Multi-tenant proxy in front of OpenSearch')
    .showHelpAfterError();
  program.addCommand(serveCommand());
  program.addCommand(engineCommand());
  program.addCommand(devCommand());
  program.addCommand(compatCommand());
  program.addCommand(tokenCommand());
  program.addCommand(benchCommand());
  program.addCommand(tenantCommand());
  program.addCommand(instancesCommand());
  program.addCommand(migrateCommand());
  program.addCommand(directiveCommand());
  program.addCommand(chaosCommand());
  await program.parseAsync([...argv]);
}
