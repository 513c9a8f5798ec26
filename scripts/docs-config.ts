// `npm run docs:config`: writes docs/configuration.md from the configuration schema (src/config/*.ts).
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../src/config/reference.ts';

const file = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(file, renderConfigReference());
console.log(`wrote ${file.pathname}`);
