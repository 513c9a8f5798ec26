/** Statement-level parser: turns Painless source into a Program. */
import type { BlockStmt, Declarator, Expr, Program, Stmt } from './ast.ts';
import { isFloat } from './ast.ts';
import { FLOAT_TYPES } from './cursor.ts';
import { CompileFailure } from './errors.ts';
import { ExprParser } from './parse-expr.ts';

/** `IllegalArgumentException` → `illegal_argument_exception`. */
const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

class Parser extends ExprParser {
  private loops = 0;

  parseProgram(): Program {
    const body: Stmt[] = [];
    while (this.peek().type !== 'eof') body.push(this.parseStatement());
    if (body.length === 0) throw new CompileFailure(0, 'Cannot generate an empty script.');
    return { body, slots: this.slots };
  }

  protected parseBlock(): BlockStmt {
    const pos = this.expect('{').pos;
    return this.scoped(() => {
      const body: Stmt[] = [];
      while (!this.eat('}')) {
        if (this.peek().type === 'eof') throw this.unexpected();
        body.push(this.parseStatement());
      }
      return { kind: 'block', pos, body };
    });
  }

  private parseStatement(): Stmt {
    return this.nested(() => this.statement());
  }

  private statement(): Stmt {
    const t = this.peek();
    if (this.isPunct('{')) return this.parseBlock();
    if (this.eat(';')) return { kind: 'empty', pos: t.pos };
    if (t.type === 'id') {
      const keyword = this.keywordStatement(t.value);
      if (keyword) return keyword;
      if (this.isTypeName() && this.peek(1).type === 'id') return this.terminated(this.parseDeclaration());
    }
    return this.terminated({ kind: 'expr', pos: t.pos, expr: this.parseExpr() });
  }

  private keywordStatement(word: string): Stmt | null {
    switch (word) {
      case 'if': return this.parseIf();
      case 'while': return this.parseWhile();
      case 'do': return this.parseDo();
      case 'for': return this.parseFor();
      case 'return': return this.parseReturn();
      case 'break':
      case 'continue':
        if (this.loops === 0) throw new CompileFailure(this.peek().pos, `Extraneous ${word} statement.`);
        return this.terminated({ kind: word, pos: this.next().pos });
      case 'throw': return this.parseThrow();
      default: return null;
    }
  }

  /** A simple statement ends with `;`, which may be omitted before `}` and at the end of the script. */
  private terminated(stmt: Stmt): Stmt {
    if (this.eat(';') || this.isPunct('}') || this.peek().type === 'eof') return stmt;
    throw this.unexpected();
  }

  private parseDeclaration(): Stmt {
    const pos = this.peek().pos;
    const type = this.typeName();
    const decls: Declarator[] = [];
    do {
      const name = this.identifier();
      const init = this.eat('=') ? this.parseExpr() : null;
      const float = FLOAT_TYPES.has(type) || ((type === 'def' || type === 'var') && init !== null && isFloat(init));
      decls.push({ name: name.value, slot: this.declare(name, float), init });
    } while (this.eat(','));
    return { kind: 'decl', pos, decls };
  }

  private parseCondition(): Expr {
    this.expect('(');
    const test = this.parseExpr();
    this.expect(')');
    return test;
  }

  private parseBody(): Stmt {
    return this.scoped(() => this.parseStatement());
  }

  private parseLoopBody(): Stmt {
    this.loops++;
    try {
      return this.parseBody();
    } finally {
      this.loops--;
    }
  }

  private parseIf(): Stmt {
    const pos = this.next().pos;
    const test = this.parseCondition();
    const then = this.parseBody();
    let other: Stmt | null = null;
    if (this.isWord('else')) {
      this.next();
      other = this.parseBody();
    }
    return { kind: 'if', pos, test, then, else: other };
  }

  private parseWhile(): Stmt {
    const pos = this.next().pos;
    const test = this.parseCondition();
    return { kind: 'while', pos, test, body: this.parseLoopBody() };
  }

  private parseDo(): Stmt {
    const pos = this.next().pos;
    const body = this.parseLoopBody();
    this.expectWord('while');
    const test = this.parseCondition();
    return this.terminated({ kind: 'do', pos, body, test });
  }

  private parseFor(): Stmt {
    const pos = this.next().pos;
    this.expect('(');
    return this.scoped(() => {
      if (this.isTypeName() && this.peek(1).type === 'id' && this.isPunct(':', 2)) return this.parseForEach(pos, true);
      if (this.peek().type === 'id' && this.isWord('in', 1)) return this.parseForEach(pos, false);
      return this.parseClassicFor(pos);
    });
  }

  private parseForEach(pos: number, typed: boolean): Stmt {
    const type = typed ? this.typeName() : 'def';
    const name = this.identifier();
    if (typed) this.expect(':');
    else this.expectWord('in');
    const iterable = this.parseExpr();
    this.expect(')');
    const slot = this.declare(name, FLOAT_TYPES.has(type));
    return { kind: 'foreach', pos, slot, iterable, body: this.parseLoopBody() };
  }

  private parseClassicFor(pos: number): Stmt {
    let init: Stmt | null = null;
    if (!this.isPunct(';')) {
      const at = this.peek().pos;
      init = this.isTypeName() && this.peek(1).type === 'id' ? this.parseDeclaration() : { kind: 'expr', pos: at, expr: this.parseExpr() };
    }
    this.expect(';');
    const test = this.isPunct(';') ? null : this.parseExpr();
    this.expect(';');
    const update: Expr[] = [];
    if (!this.isPunct(')')) {
      do update.push(this.parseExpr());
      while (this.eat(','));
    }
    this.expect(')');
    return { kind: 'for', pos, init, test, update, body: this.parseLoopBody() };
  }

  private parseReturn(): Stmt {
    const pos = this.next().pos;
    const ends = this.isPunct(';') || this.isPunct('}') || this.peek().type === 'eof';
    return this.terminated({ kind: 'return', pos, value: ends ? null : this.parseExpr() });
  }

  private parseThrow(): Stmt {
    const pos = this.next().pos;
    this.expectWord('new');
    const name = this.peek();
    if (name.type !== 'id' || !name.value.endsWith('Exception')) throw this.unexpected();
    this.next();
    const args = this.parseArgs();
    if (args.length > 1) throw new CompileFailure(name.pos, `too many arguments for [${name.value}]`);
    return this.terminated({ kind: 'throw', pos, type: snakeCase(name.value), message: args[0] ?? null });
  }
}

/** Parses a script; throws CompileFailure on invalid input. */
export function parse(source: string): Program {
  return new Parser(source).parseProgram();
}
