import { Command } from 'commander';
import { engineCommand } from './engine.ts';
import { devCommand } from './dev.ts';
import { compatCommand } from '../compat/cli.ts';

const program = new Command()
  .name('osproxy')
  .description('Multi-tenant proxy in front of OpenSearch')
  .showHelpAfterError();

program.addCommand(engineCommand());
program.addCommand(devCommand());
program.addCommand(compatCommand());

await program.parseAsync(process.argv);
