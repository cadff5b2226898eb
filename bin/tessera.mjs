#!/usr/bin/env node
// The `tessera` command. tsx is registered in this very process (no build step, and no child
// process: this process is the server, so a signal sent to it reaches the server), then the
// TypeScript entry is imported.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
