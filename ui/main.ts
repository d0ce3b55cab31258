// The baton program: the core CLI plus the terminal UI commands.
import { main } from '../src/cli/main.ts';
import { COMMANDS } from './commands.ts';

await main(COMMANDS);
