import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { satisfies, SemverRangeError } from '../../src/compat/semver.ts';
import { DEFAULT_TARGET, gateReason } from '../../src/compat/gating.ts';

describe('semver ranges', () => {
  const cases: Array<[string, string, boolean]> = [
    ['2.17.0', '>= 2.x', true],
    ['2.17.0', '>= 2.0', true],
    ['2.17.0', '< 2.0', false],
    ['1.3.9', '< 2.0', true],
    ['2.17.0', '>= 2.18', false],
    ['2.17.0', '> 2.16', true],
    ['2.17.0', '> 2.x', false],
    ['3.0.0', '> 2.x', true],
    ['2.17.0', '<= 2.x', true],
    ['2.17.0', '<= 2.16', false],
    ['2.17.0', '<= 2.17.0', true],
    ['2.17.0', '2.x', true],
    ['2.17.0', '2.17', true],
    ['2.17.1', '2.17.0', false],
    ['2.17.0', '~2.17', true],
    ['2.18.0', '~2.17', false],
    ['2.17.0', '^2.3', true],
    ['3.0.0', '^2.3', false],
    ['2.17.0', '>=2.10 <2.18', true],
    ['2.17.0', '>= 2.10 < 2.17', false],
    ['2.17.0', '1.0 - 2.17', true],
    ['2.17.0', '1.0 - 2.16', false],
    ['2.17.0', '< 2.0 || >= 2.15', true],
    ['2.17.0', '*', true],
  ];
  for (const [version, range, expected] of cases) {
    it(`${version} ${expected ? 'satisfies' : 'does not satisfy'} "${range}"`, () => {
      assert.equal(satisfies(version, range), expected);
    });
  }

  it('rejects garbage', () => {
    assert.throws(() => satisfies('2.17.0', '>= two'), SemverRangeError);
  });
});

describe('story gates for OpenSearch 2.17.0 core', () => {
  it('lets ungated and matching items run', () => {
    assert.equal(gateReason({}), undefined);
    assert.equal(gateReason({ version: '>= 2.0', distributions: { included: ['opensearch.org', 'amazon-managed'] } }), undefined);
  });

  it('skips items for other versions with a reason', () => {
    assert.equal(gateReason({ version: '< 2.0' }), 'version 2.17.0 does not satisfy < 2.0');
  });

  it('skips items for other distributions, included or excluded', () => {
    assert.match(gateReason({ distributions: { included: ['amazon-serverless'] } }) ?? '', /not in \[amazon-serverless\]/);
    assert.match(gateReason({ distributions: { excluded: ['opensearch.org'] } }) ?? '', /excluded/);
    assert.equal(gateReason({ distributions: { excluded: ['amazon-serverless'] } }, DEFAULT_TARGET), undefined);
  });

  it('skips rather than crashes on an unreadable range', () => {
    assert.match(gateReason({ version: 'soon' }) ?? '', /unreadable version range/);
  });
});
