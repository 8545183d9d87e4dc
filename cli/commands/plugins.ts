import type { ConfigKeyInfo, PluginInfo } from '../../runtime/cluster/rest-types.js';
import { type CommandContext, requireArg } from './command-context.js';
import { seg } from './rest-client.js';

async function list(ctx: CommandContext): Promise<void> {
  // Connect lists connectors only unless asked; --all adds transforms, predicates and converters.
  const all = ctx.options['all'] === true;
  const plugins = await ctx.client.get<PluginInfo[]>(`/connector-plugins?connectorsOnly=${String(!all)}`);
  ctx.print({
    data: plugins,
    table: [['CLASS', 'TYPE', 'VERSION'], ...plugins.map((p) => [p.class, p.type, p.version ?? '-'])],
  });
}

async function describe(ctx: CommandContext): Promise<void> {
  const name = requireArg(ctx, 0, 'plugin class or alias');
  const keys = await ctx.client.get<ConfigKeyInfo[]>(`/connector-plugins/${seg(name)}/config`);
  ctx.print({
    data: keys,
    table: [
      ['KEY', 'TYPE', 'DEFAULT', 'IMPORTANCE', 'DOCUMENTATION'],
      ...keys.map((k) => [
        k.name,
        k.type,
        k.required ? '(required)' : (k.default_value ?? '') || '""',
        k.importance,
        k.documentation.split('\n')[0] ?? '',
      ]),
    ],
  });
}

export const pluginCommands: Readonly<Record<string, (ctx: CommandContext) => Promise<void>>> = {
  list,
  describe,
};
