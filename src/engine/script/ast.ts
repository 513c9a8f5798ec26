/** AST of the Painless subset. Every node carries `pos`, its offset in the source. */
import type { Json } from '../json.ts';

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '<' | '<=' | '>' | '>=' | '==' | '!=' | '===' | '!=='
  | '&' | '|' | '^' | '<<' | '>>' | '>>>';

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=' | '>>>=';

/** `float` marks expressions statically known to be floating point (for `/`, `%` and string conversion). */
export type Expr =
  | { kind: 'lit'; pos: number; value: Json; float: boolean }
  | { kind: 'list'; pos: number; items: Expr[] }
  | { kind: 'map'; pos: number; entries: Array<[Expr, Expr]> }
  | { kind: 'var'; pos: number; name: string; slot: number; float: boolean }
  | { kind: 'ctx'; pos: number }
  | { kind: 'params'; pos: number }
  | { kind: 'staticField'; pos: number; cls: string; name: string }
  | { kind: 'staticCall'; pos: number; cls: string; name: string; args: Expr[]; float: boolean }
  | { kind: 'member'; pos: number; target: Expr; name: string; nullSafe: boolean }
  | { kind: 'index'; pos: number; target: Expr; index: Expr }
  | { kind: 'call'; pos: number; target: Expr; name: string; args: Expr[]; nullSafe: boolean }
  | { kind: 'new'; pos: number; type: string; args: Expr[] }
  | { kind: 'unary'; pos: number; op: '-' | '+' | '!' | '~'; operand: Expr; float: boolean }
  | { kind: 'update'; pos: number; op: '++' | '--'; prefix: boolean; target: LValue }
  | { kind: 'binary'; pos: number; op: BinaryOp; left: Expr; right: Expr; float: boolean }
  | { kind: 'logical'; pos: number; op: '&&' | '||'; left: Expr; right: Expr }
  | { kind: 'cond'; pos: number; test: Expr; then: Expr; else: Expr; float: boolean }
  | { kind: 'elvis'; pos: number; left: Expr; right: Expr; float: boolean }
  | { kind: 'assign'; pos: number; op: AssignOp; target: LValue; value: Expr; float: boolean }
  | { kind: 'cast'; pos: number; type: string; operand: Expr; float: boolean }
  | { kind: 'instanceof'; pos: number; operand: Expr; type: string }
  | { kind: 'lambda'; pos: number; params: number[]; body: Expr | BlockStmt };

export type LValue = Extract<Expr, { kind: 'var' | 'member' | 'index' }>;

export interface Declarator {
  name: string;
  slot: number;
  init: Expr | null;
}

export type Stmt =
  | { kind: 'expr'; pos: number; expr: Expr }
  | { kind: 'decl'; pos: number; decls: Declarator[] }
  | { kind: 'block'; pos: number; body: Stmt[] }
  | { kind: 'if'; pos: number; test: Expr; then: Stmt; else: Stmt | null }
  | { kind: 'while'; pos: number; test: Expr; body: Stmt }
  | { kind: 'do'; pos: number; body: Stmt; test: Expr }
  | { kind: 'for'; pos: number; init: Stmt | null; test: Expr | null; update: Expr[]; body: Stmt }
  | { kind: 'foreach'; pos: number; slot: number; iterable: Expr; body: Stmt }
  | { kind: 'return'; pos: number; value: Expr | null }
  | { kind: 'break'; pos: number }
  | { kind: 'continue'; pos: number }
  | { kind: 'throw'; pos: number; type: string; message: Expr | null }
  | { kind: 'empty'; pos: number };

export type BlockStmt = Extract<Stmt, { kind: 'block' }>;

export interface Program {
  body: Stmt[];
  /** Number of variable slots (locals and lambda parameters) the program needs. */
  slots: number;
}

/** Whether an expression is statically known to yield a floating-point number. */
export function isFloat(e: Expr): boolean {
  return 'float' in e && e.float;
}
