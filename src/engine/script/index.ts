/** Painless subset interpreter used by `_update`, `_update_by_query` and bulk `update` scripts. */
export { compileScript, MAX_STEPS, type CompiledScript, type ScriptContext } from './compile.ts';
