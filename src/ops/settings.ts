/**
 * `GET [/{index}]/_settings[/{name}]` (what client tools read at start-up), synthesized per logical
 * index: its creation date, a stable per-tenant uuid and its own name (as `GET /{index}` shows
 * them), the upstream's `version.created`, and — for a dedicated index only, whose settings are the
 * tenant's — the settings a tenant may choose. A shared index's settings are the operator's and are
 * not shown; no physical name, uuid or routing ever is. `flat_settings` and name filters
 * (`index.number_*`) work as in OpenSearch.
 */
import type { JsonObject } from '../core/json.ts';
import { jsonReply, type Reply } from '../http/reply.ts';
import type { OpContext } from './context.ts';
import { logicalSettings, nestSettings } from './index-settings.ts';
import { searchTargets } from './search-request.ts';

function wildcard(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export async function getSettings(ctx: OpContext): Promise<Reply> {
  const flatOut = ctx.query.get('flat_settings') === 'true';
  const names = ctx.endpoint.id?.split(',').filter((n) => n !== '' && n !== '_all').map(wildcard) ?? [];
  const body: JsonObject = {};
  for (const target of searchTargets(ctx)) {
    let flat = await logicalSettings(ctx, target);
    if (names.length > 0) {
      flat = Object.fromEntries(Object.entries(flat).filter(([key]) => names.some((re) => re.test(key))));
      if (Object.keys(flat).length === 0) continue; // GetSettingsResponse skips indexes left with none
    }
    body[target.lindex] = { settings: flatOut ? flat : nestSettings(flat) };
  }
  return jsonReply(200, body);
}
