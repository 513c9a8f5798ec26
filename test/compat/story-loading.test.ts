import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { DEFAULT_STORIES_DIR, loadStories, parseStory } from '../../src/compat/story.ts';

describe('story loading', () => {
  it('finds the shared stories by default and reads every one of them', { skip: !existsSync(DEFAULT_STORIES_DIR) }, async () => {
    const files = await loadStories();
    assert.ok(files.length > 0);
    assert.deepEqual(files.filter((f) => !f.ok), []);
    assert.ok(files.some((f) => f.relPath === 'indices/doc.yaml'));
  });

  it('defaults optional parts and keeps gates', () => {
    const file = parseStory('x.yaml', [
      'description: Test.',
      'version: ">= 2.0"',
      'chapters:',
      '  - synopsis: Count.',
      '    path: /_count',
      '    method: GET',
      '    parameters: {q: x, n: [1, 2]}',
    ].join('\n'));
    assert.ok(file.ok);
    assert.deepEqual(file.story.prologues, []);
    assert.deepEqual(file.story.epilogues, []);
    assert.equal(file.story.version, '>= 2.0');
    assert.deepEqual(file.story.chapters[0].parameters, { q: 'x', n: [1, 2] });
  });

  it('expands a chapter with a list of methods into one chapter per method', () => {
    const file = parseStory('x.yaml', 'description: T.\nchapters:\n  - {synopsis: Count., path: /_count, method: [GET, POST]}\n');
    assert.ok(file.ok);
    assert.deepEqual(file.story.chapters.map((c) => [c.method, c.synopsis]), [['GET', 'Count. [GET]'], ['POST', 'Count. [POST]']]);
  });

  it('lists every structural problem with its location', () => {
    const file = parseStory('bad.yaml', [
      'description: Bad.',
      'chapters:',
      '  - synopsis: No method.',
      '    path: /x',
      '    colour: red',
      '    response: {status: ok}',
      'prologues:',
      '  - {path: /y, method: GET, output: {a: payload.b}}',
    ].join('\n'));
    assert.ok(!file.ok);
    assert.deepEqual(file.problems, [
      'chapters[0]: unknown property "colour"',
      'chapters[0].response: "status" must be an integer or a list of integers',
      'chapters[0]: "method" must be one of GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS',
      'prologues[0]: "output" needs an "id" to be referenced by',
    ]);
  });

  it('reports YAML syntax errors instead of throwing', () => {
    const file = parseStory('broken.yaml', 'chapters: [\n');
    assert.ok(!file.ok);
    assert.match(file.problems[0], /^YAML: /);
  });
});
