/** Dispatch of method calls on values to the whitelisted method tables; nothing else is reachable. */
import type { Json, JsonObject } from '../json.ts';
import type { Method, MethodTable, Runtime } from './args.ts';
import { illegalArgument, nullPointer } from './errors.ts';
import { LIST_METHODS } from './list-methods.ts';
import { MAP_METHODS } from './map-methods.ts';
import { BOOLEAN_METHODS, NUMBER_METHODS, STRING_METHODS } from './scalar-methods.ts';
import { javaType, Lambda, type Value } from './values.ts';

function find<T>(methods: MethodTable<T>, self: Value, name: string, arity: number): Method<T> {
  const fn = methods.get(`${name}/${arity}`);
  if (!fn) throw illegalArgument(`dynamic method [${javaType(self)}, ${name}/${arity}] not found`);
  return fn;
}

/** Calls `self.name(args)`; a null receiver is a null pointer exception. */
export function callMethod(self: Value, name: string, args: Value[], rt: Runtime): Value {
  if (self === null) throw nullPointer(name);
  if (self instanceof Lambda) throw illegalArgument(`dynamic method [lambda, ${name}/${args.length}] not found`);
  switch (typeof self) {
    case 'string': return find(STRING_METHODS, self, name, args.length)(self, args, rt);
    case 'number': return find(NUMBER_METHODS, self, name, args.length)(self, args, rt);
    case 'boolean': return find(BOOLEAN_METHODS, self, name, args.length)(self, args, rt);
    default:
      if (Array.isArray(self)) return find<Json[]>(LIST_METHODS, self, name, args.length)(self, args, rt);
      return find<JsonObject>(MAP_METHODS, self, name, args.length)(self, args, rt);
  }
}
